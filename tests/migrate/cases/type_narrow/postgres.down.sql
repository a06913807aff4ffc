ALTER TABLE "hero" ALTER COLUMN "name" TYPE varchar(40) USING "name"::varchar(40);
ALTER TABLE "hero" ALTER COLUMN "age" TYPE bigint USING "age"::bigint;
