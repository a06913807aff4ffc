DROP INDEX IF EXISTS "ix_hero_name_age";
