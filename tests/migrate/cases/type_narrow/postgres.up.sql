ALTER TABLE "hero" ALTER COLUMN "name" TYPE varchar(20) USING "name"::varchar(20);
ALTER TABLE "hero" ALTER COLUMN "age" TYPE integer USING "age"::integer;
