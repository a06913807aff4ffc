CREATE INDEX IF NOT EXISTS "ix_hero_name_age" ON "hero" ("name", "age" NULLS FIRST);
