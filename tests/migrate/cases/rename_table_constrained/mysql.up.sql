ALTER TABLE `team` DROP CONSTRAINT `ck_team_299cca60`;
ALTER TABLE `team` RENAME TO `squad`;
ALTER TABLE `squad` RENAME INDEX `uq_team_name` TO `uq_squad_name`;
ALTER TABLE `squad` RENAME INDEX `ix_team_city` TO `ix_squad_city`;
ALTER TABLE `squad` ADD CONSTRAINT `ck_squad_299cca60` CHECK (`name` <> '');
