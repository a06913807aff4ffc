INSERT INTO "item" ("id", "price", "weight", "count", "ratio") VALUES (1, 1234, 1255, 3, 0.125), (2, 5, NULL, 0, NULL);
