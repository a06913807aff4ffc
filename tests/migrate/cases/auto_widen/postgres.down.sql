ALTER TABLE "tag" ALTER COLUMN "id" TYPE integer USING "id"::integer;
