-- smdl: foreign_keys=off
ALTER TABLE "team" RENAME TO "squad";
CREATE TABLE IF NOT EXISTS "smdl_new_squad" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "city" TEXT,
    CONSTRAINT "pk_squad" PRIMARY KEY ("id"),
    CONSTRAINT "uq_squad_name" UNIQUE ("name"),
    CONSTRAINT "ck_squad_299cca60" CHECK ("name" <> '')
);
INSERT INTO "smdl_new_squad" ("id", "name", "city") SELECT "id", "name", "city" FROM "squad";
DROP TABLE IF EXISTS "squad";
ALTER TABLE "smdl_new_squad" RENAME TO "squad";
CREATE INDEX IF NOT EXISTS "ix_squad_city" ON "squad" ("city");
