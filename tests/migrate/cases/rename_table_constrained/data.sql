INSERT INTO "team" ("id", "name", "city") VALUES (1, 'Avengers', 'New York'), (2, 'X-Men', NULL);
INSERT INTO "hero" ("id", "name", "age", "team_id") VALUES (1, 'Deadpond', 30, 1), (2, 'Rusty', NULL, 2), (3, 'Tarantula', 28, NULL);
