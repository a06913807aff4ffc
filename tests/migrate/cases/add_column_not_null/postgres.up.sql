ALTER TABLE "hero" ADD COLUMN "power" bigint NOT NULL;
