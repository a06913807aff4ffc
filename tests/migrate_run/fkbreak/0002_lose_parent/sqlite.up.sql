-- smdl: foreign_keys=off
CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
DROP TABLE parent;
ALTER TABLE new_parent RENAME TO parent;
