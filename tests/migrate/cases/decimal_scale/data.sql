INSERT INTO "item" ("id", "price", "weight", "count", "ratio") VALUES (1, 12.34, 1.255, 3, 0.125), (2, 0.05, NULL, 0, NULL);
