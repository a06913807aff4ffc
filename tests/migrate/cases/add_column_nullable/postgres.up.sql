ALTER TABLE "hero" ADD COLUMN "nick" text;
