ALTER TABLE "item" ALTER COLUMN "price" TYPE numeric(12,3) USING "price"::numeric(12,3);
ALTER TABLE "item" ALTER COLUMN "weight" TYPE numeric(8,1) USING "weight"::numeric(8,1);
ALTER TABLE "item" ALTER COLUMN "count" DROP DEFAULT;
ALTER TABLE "item" ALTER COLUMN "count" TYPE numeric(10,2) USING "count"::numeric(10,2);
ALTER TABLE "item" ALTER COLUMN "count" SET DEFAULT 0.00;
ALTER TABLE "item" ALTER COLUMN "ratio" TYPE numeric(6,2) USING "ratio"::numeric(6,2);
