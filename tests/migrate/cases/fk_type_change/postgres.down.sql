ALTER TABLE "team" ALTER COLUMN "id" TYPE integer USING "id"::integer;
ALTER TABLE "hero" ALTER COLUMN "team_id" TYPE integer USING "team_id"::integer;
