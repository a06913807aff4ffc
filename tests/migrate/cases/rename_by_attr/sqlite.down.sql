-- smdl: foreign_keys=off
ALTER TABLE "teams" RENAME TO "team";
CREATE TABLE IF NOT EXISTS "smdl_new_team" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "pk_team" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_team" ("id", "name") SELECT "id", "team_name" FROM "team";
DROP TABLE IF EXISTS "team";
ALTER TABLE "smdl_new_team" RENAME TO "team";
