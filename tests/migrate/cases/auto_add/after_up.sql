INSERT INTO "tag" ("label") VALUES ('green');
