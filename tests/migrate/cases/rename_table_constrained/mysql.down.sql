ALTER TABLE `squad` DROP CONSTRAINT `ck_squad_299cca60`;
ALTER TABLE `squad` RENAME TO `team`;
ALTER TABLE `team` RENAME INDEX `uq_squad_name` TO `uq_team_name`;
ALTER TABLE `team` RENAME INDEX `ix_squad_city` TO `ix_team_city`;
ALTER TABLE `team` ADD CONSTRAINT `ck_team_299cca60` CHECK (`name` <> '');
