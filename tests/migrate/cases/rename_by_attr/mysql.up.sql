ALTER TABLE `team` RENAME TO `teams`;
ALTER TABLE `teams` RENAME COLUMN `name` TO `team_name`;
