CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    label TEXT NOT NULL
);
