ALTER TABLE `teams` RENAME TO `team`;
ALTER TABLE `team` RENAME COLUMN `team_name` TO `name`;
