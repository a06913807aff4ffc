-- smdl: foreign_keys=off
ALTER TABLE "team" RENAME TO "squad";
CREATE TABLE IF NOT EXISTS "smdl_new_squad" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "pk_squad" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_squad" ("id", "name") SELECT "id", "name" FROM "squad";
DROP TABLE IF EXISTS "squad";
ALTER TABLE "smdl_new_squad" RENAME TO "squad";
