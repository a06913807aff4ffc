-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_he'ro ta??/ble $$x" (
    "id" INTEGER NOT NULL,
    "full na'me??=" TEXT NOT NULL DEFAULT 'tri??/graph ''q'' back\slash',
    "kind" TEXT NOT NULL DEFAULT 'slow',
    "note" TEXT DEFAULT 'café ??( $$ \',
    CONSTRAINT "pk_he'ro ta??/ble $$x" PRIMARY KEY ("id"),
    CONSTRAINT "ck_he'ro ta??/ble $$x_kind" CHECK ("kind" IN ('fast', 'slow', 'odd')),
    CONSTRAINT "ck_he'ro ta??/ble $$x_3f8a4e65" CHECK ("full na'me??=" <> '??/')
);
INSERT INTO "smdl_new_he'ro ta??/ble $$x" ("id", "full na'me??=", "kind") SELECT "id", "na'me??=", "kind" FROM "he'ro ta??/ble $$x";
DROP TABLE IF EXISTS "he'ro ta??/ble $$x";
ALTER TABLE "smdl_new_he'ro ta??/ble $$x" RENAME TO "he'ro ta??/ble $$x";
CREATE INDEX IF NOT EXISTS "ix_he'ro ta??/ble $$x_full na'me??=_kind" ON "he'ro ta??/ble $$x" ("full na'me??=", "kind");
CREATE TABLE IF NOT EXISTS "smdl_new_ring$$a$smdl$" (
    "id" INTEGER NOT NULL,
    "hero_id" INTEGER,
    CONSTRAINT "pk_ring$$a$smdl$" PRIMARY KEY ("id"),
    CONSTRAINT "fk_ring$$a$smdl$_hero_id" FOREIGN KEY ("hero_id") REFERENCES "he'ro ta??/ble $$x" ("id") ON DELETE SET NULL
);
INSERT INTO "smdl_new_ring$$a$smdl$" ("id", "hero_id") SELECT "id", "hero_id" FROM "ring$$a$smdl$";
DROP TABLE IF EXISTS "ring$$a$smdl$";
ALTER TABLE "smdl_new_ring$$a$smdl$" RENAME TO "ring$$a$smdl$";
