-- smdl: foreign_keys=off
ALTER TABLE "team" RENAME TO "teams";
CREATE TABLE IF NOT EXISTS "smdl_new_teams" (
    "id" INTEGER NOT NULL,
    "team_name" TEXT NOT NULL,
    CONSTRAINT "pk_teams" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_teams" ("id", "team_name") SELECT "id", "name" FROM "teams";
DROP TABLE IF EXISTS "teams";
ALTER TABLE "smdl_new_teams" RENAME TO "teams";
