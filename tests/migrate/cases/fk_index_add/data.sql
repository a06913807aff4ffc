INSERT INTO "team" ("id", "name") VALUES (1, 'Avengers');
INSERT INTO "hero" ("id", "name", "team_id") VALUES (1, 'Deadpond', 1);
