-- smdl: foreign_keys=off
DROP TABLE IF EXISTS "team";
CREATE TABLE IF NOT EXISTS "smdl_new_squad" (
    "id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    CONSTRAINT "pk_squad" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_squad" ("id", "title") SELECT "id", "title" FROM "squad";
DROP TABLE IF EXISTS "squad";
ALTER TABLE "smdl_new_squad" RENAME TO "squad";
