-- smdl: foreign_keys=off
DROP TABLE IF EXISTS "team";
CREATE TABLE IF NOT EXISTS "smdl_new_hero" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "age" INTEGER,
    CONSTRAINT "pk_hero" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_hero" ("id", "name", "age") SELECT "id", "name", "age" FROM "hero";
DROP TABLE IF EXISTS "hero";
ALTER TABLE "smdl_new_hero" RENAME TO "hero";
