-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_hero" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "age" INTEGER,
    "team_id" INTEGER,
    "power" INTEGER NOT NULL,
    CONSTRAINT "pk_hero" PRIMARY KEY ("id"),
    CONSTRAINT "fk_hero_team_id" FOREIGN KEY ("team_id") REFERENCES "team" ("id")
);
INSERT INTO "smdl_new_hero" ("id", "name", "age", "team_id") SELECT "id", "name", "age", "team_id" FROM "hero";
DROP TABLE IF EXISTS "hero";
ALTER TABLE "smdl_new_hero" RENAME TO "hero";
