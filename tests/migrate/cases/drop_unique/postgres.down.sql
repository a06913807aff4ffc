ALTER TABLE "hero" ADD CONSTRAINT "uq_hero_name" UNIQUE ("name");
