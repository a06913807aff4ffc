INSERT INTO "squad" ("id", "title") VALUES (1, 'Avengers');
