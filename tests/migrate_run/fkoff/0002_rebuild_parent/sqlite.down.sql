-- smdl: foreign_keys=off
CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO new_parent (id, name) SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE new_parent RENAME TO parent;
