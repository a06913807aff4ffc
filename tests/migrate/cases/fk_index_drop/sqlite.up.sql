DROP INDEX IF EXISTS "ix_hero_team_id";
