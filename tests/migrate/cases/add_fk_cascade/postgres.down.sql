ALTER TABLE "hero" DROP CONSTRAINT "fk_hero_mentor_id";
ALTER TABLE "hero" DROP COLUMN "mentor_id";
