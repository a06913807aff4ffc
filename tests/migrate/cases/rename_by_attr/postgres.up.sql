ALTER TABLE "team" RENAME TO "teams";
ALTER TABLE "teams" RENAME COLUMN "name" TO "team_name";
ALTER TABLE "teams" RENAME CONSTRAINT "pk_team" TO "pk_teams";
