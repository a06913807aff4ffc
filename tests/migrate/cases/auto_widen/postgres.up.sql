ALTER TABLE "tag" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;
