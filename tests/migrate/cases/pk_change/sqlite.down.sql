-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_member" (
    "team_id" INTEGER NOT NULL,
    "person" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    CONSTRAINT "pk_member" PRIMARY KEY ("team_id"),
    CONSTRAINT "fk_member_team_id" FOREIGN KEY ("team_id") REFERENCES "team" ("id") ON DELETE CASCADE
);
INSERT INTO "smdl_new_member" ("team_id", "person", "role") SELECT "team_id", "person", "role" FROM "member";
DROP TABLE IF EXISTS "member";
ALTER TABLE "smdl_new_member" RENAME TO "member";
