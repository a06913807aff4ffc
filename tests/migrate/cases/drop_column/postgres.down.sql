ALTER TABLE "hero" ADD COLUMN "age" bigint;
