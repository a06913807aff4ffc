INSERT INTO "team" ("id", "name") VALUES (1, 'Avengers'), (2, 'X-Men');
INSERT INTO "hero" ("id", "name", "team_id") VALUES (1, 'Deadpond', 1), (2, 'Rusty', NULL);
