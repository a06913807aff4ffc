-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_hero" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "years" INTEGER,
    "team_id" INTEGER,
    CONSTRAINT "pk_hero" PRIMARY KEY ("id"),
    CONSTRAINT "uq_hero_name_years" UNIQUE ("name", "years"),
    CONSTRAINT "fk_hero_team_id" FOREIGN KEY ("team_id") REFERENCES "team" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_hero_af440768" CHECK ("years" IS NULL OR "years" >= 0)
);
INSERT INTO "smdl_new_hero" ("id", "name", "years", "team_id") SELECT "id", "name", "age", "team_id" FROM "hero";
DROP TABLE IF EXISTS "hero";
ALTER TABLE "smdl_new_hero" RENAME TO "hero";
CREATE INDEX IF NOT EXISTS "ix_hero_years" ON "hero" ("years");
