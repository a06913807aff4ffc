-- smdl: foreign_keys=off
CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO new_parent (id, name) SELECT id, coalesce(name, '') FROM parent;
DROP TABLE parent;
ALTER TABLE new_parent RENAME TO parent;
