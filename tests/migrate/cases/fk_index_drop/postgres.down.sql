CREATE INDEX IF NOT EXISTS "ix_hero_team_id" ON "hero" ("team_id" NULLS FIRST);
