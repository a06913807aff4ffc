INSERT INTO "team" ("id", "name") VALUES (1, 'Avengers'), (2, 'X-Men');
INSERT INTO "member" ("team_id", "person", "role") VALUES (1, 'Deadpond', 'lead'), (2, 'Rusty', 'scout');
