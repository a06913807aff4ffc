-- smdl: foreign_keys=off
DROP TABLE IF EXISTS "mission";
