CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE
);
INSERT INTO parent (id, name) VALUES (1, 'a');
INSERT INTO child (id, parent_id) VALUES (1, 1);
