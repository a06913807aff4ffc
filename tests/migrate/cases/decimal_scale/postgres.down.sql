ALTER TABLE "item" ALTER COLUMN "price" TYPE numeric(10,2) USING "price"::numeric(10,2);
ALTER TABLE "item" ALTER COLUMN "weight" TYPE numeric(8,3) USING "weight"::numeric(8,3);
ALTER TABLE "item" ALTER COLUMN "count" DROP DEFAULT;
ALTER TABLE "item" ALTER COLUMN "count" TYPE bigint USING "count"::bigint;
ALTER TABLE "item" ALTER COLUMN "count" SET DEFAULT 0;
ALTER TABLE "item" ALTER COLUMN "ratio" TYPE double precision USING "ratio"::double precision;
