ALTER TABLE "hero" DROP CONSTRAINT "fk_hero_team_id";
ALTER TABLE "hero" ADD CONSTRAINT "fk_hero_team_id" FOREIGN KEY ("team_id") REFERENCES "team" ("id");
