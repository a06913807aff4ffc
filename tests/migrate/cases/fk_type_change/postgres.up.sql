ALTER TABLE "team" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;
ALTER TABLE "hero" ALTER COLUMN "team_id" TYPE bigint USING "team_id"::bigint;
