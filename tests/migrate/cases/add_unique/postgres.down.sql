ALTER TABLE "hero" DROP CONSTRAINT "uq_hero_name";
