ALTER TABLE "teams" RENAME TO "team";
ALTER TABLE "team" RENAME COLUMN "team_name" TO "name";
ALTER TABLE "team" RENAME CONSTRAINT "pk_teams" TO "pk_team";
