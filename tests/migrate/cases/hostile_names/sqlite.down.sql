-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_he'ro ta??/ble $$x" (
    "id" INTEGER NOT NULL,
    "na'me??=" TEXT NOT NULL DEFAULT 'tri??/graph ''q'' back\slash',
    "kind" TEXT NOT NULL DEFAULT 'slow',
    CONSTRAINT "pk_he'ro ta??/ble $$x" PRIMARY KEY ("id"),
    CONSTRAINT "ck_he'ro ta??/ble $$x_kind" CHECK ("kind" IN ('fast', 'slow'))
);
INSERT INTO "smdl_new_he'ro ta??/ble $$x" ("id", "na'me??=", "kind") SELECT "id", "full na'me??=", "kind" FROM "he'ro ta??/ble $$x";
DROP TABLE IF EXISTS "he'ro ta??/ble $$x";
ALTER TABLE "smdl_new_he'ro ta??/ble $$x" RENAME TO "he'ro ta??/ble $$x";
CREATE TABLE IF NOT EXISTS "smdl_new_ring$$a$smdl$" (
    "id" INTEGER NOT NULL,
    "hero_id" INTEGER,
    CONSTRAINT "pk_ring$$a$smdl$" PRIMARY KEY ("id"),
    CONSTRAINT "fk_ring$$a$smdl$_hero_id" FOREIGN KEY ("hero_id") REFERENCES "he'ro ta??/ble $$x" ("id")
);
INSERT INTO "smdl_new_ring$$a$smdl$" ("id", "hero_id") SELECT "id", "hero_id" FROM "ring$$a$smdl$";
DROP TABLE IF EXISTS "ring$$a$smdl$";
ALTER TABLE "smdl_new_ring$$a$smdl$" RENAME TO "ring$$a$smdl$";
