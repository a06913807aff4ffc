INSERT INTO "team" ("id", "name") VALUES (1, 'Avengers'), (2, 'X-Men');
INSERT INTO "hero" ("id", "name", "age", "team_id", "power") VALUES (1, 'Deadpond', 30, 1, 'flight'), (2, 'Rusty', NULL, 2, 'strength'), (3, 'Tarantula', 28, NULL, 'flight');
