-- smdl: foreign_keys=off
ALTER TABLE "squad" RENAME TO "team";
CREATE TABLE IF NOT EXISTS "smdl_new_team" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "city" TEXT,
    CONSTRAINT "pk_team" PRIMARY KEY ("id"),
    CONSTRAINT "uq_team_name" UNIQUE ("name"),
    CONSTRAINT "ck_team_299cca60" CHECK ("name" <> '')
);
INSERT INTO "smdl_new_team" ("id", "name", "city") SELECT "id", "name", "city" FROM "team";
DROP TABLE IF EXISTS "team";
ALTER TABLE "smdl_new_team" RENAME TO "team";
CREATE INDEX IF NOT EXISTS "ix_team_city" ON "team" ("city");
