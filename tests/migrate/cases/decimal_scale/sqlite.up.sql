-- smdl: foreign_keys=off
CREATE TABLE IF NOT EXISTS "smdl_new_item" (
    "id" INTEGER NOT NULL,
    "price" INTEGER NOT NULL,
    "weight" INTEGER,
    "count" INTEGER NOT NULL DEFAULT 0,
    "ratio" INTEGER,
    CONSTRAINT "pk_item" PRIMARY KEY ("id")
);
INSERT INTO "smdl_new_item" ("id", "price", "weight", "count", "ratio") SELECT "id", ("price" * 10), CAST(round((("weight" / 1000.0) * 10)) AS INTEGER), ("count" * 100), CAST(round(("ratio" * 100)) AS INTEGER) FROM "item";
DROP TABLE IF EXISTS "item";
ALTER TABLE "smdl_new_item" RENAME TO "item";
