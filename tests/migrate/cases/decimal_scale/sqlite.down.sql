-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_item" (
    "id" INTEGER NOT NULL,
    "price" INTEGER NOT NULL,
    "weight" INTEGER,
    "count" INTEGER NOT NULL DEFAULT 0,
    "ratio" REAL,
    CONSTRAINT "pk_item" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_item" ("id", "price", "weight", "count", "ratio") SELECT "id", CAST(round((("price" / 1000.0) * 100)) AS INTEGER), ("weight" * 100), CAST(round((("count" / 100.0) * 1)) AS INTEGER), ("ratio" / 100.0) FROM "item";
DROP TABLE IF EXISTS "item";
ALTER TABLE "smdl_new_item" RENAME TO "item";
