-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_hero" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "age" INTEGER,
    "team_id" INTEGER,
    CONSTRAINT "pk_hero" PRIMARY KEY ("id"),
    CONSTRAINT "uq_hero_name_age" UNIQUE ("name", "age"),
    CONSTRAINT "fk_hero_team_id" FOREIGN KEY ("team_id") REFERENCES "team" ("id") ON DELETE CASCADE,
    CONSTRAINT "ck_hero_c743e036" CHECK ("age" IS NULL OR "age" >= 0)
);
INSERT INTO "smdl_new_hero" ("id", "name", "age", "team_id") SELECT "id", "name", "years", "team_id" FROM "hero";
DROP TABLE IF EXISTS "hero";
ALTER TABLE "smdl_new_hero" RENAME TO "hero";
CREATE INDEX IF NOT EXISTS "ix_hero_age" ON "hero" ("age");
