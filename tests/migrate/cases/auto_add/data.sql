INSERT INTO "tag" ("id", "label") VALUES (1, 'red'), (5, 'blue');
