ALTER TABLE "hero" ADD COLUMN "mentor_id" bigint;
ALTER TABLE "hero" ADD CONSTRAINT "fk_hero_mentor_id" FOREIGN KEY ("mentor_id") REFERENCES "hero" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
