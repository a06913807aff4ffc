ALTER TABLE "hero" ALTER COLUMN "name" TYPE varchar(80) USING "name"::varchar(80);
ALTER TABLE "hero" ALTER COLUMN "age" TYPE bigint USING "age"::bigint;
