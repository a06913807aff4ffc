ALTER TABLE `hero` DROP FOREIGN KEY `fk_hero_team_id`;
ALTER TABLE `hero` DROP INDEX `fk_hero_team_id`;
DROP TABLE IF EXISTS `team`;
ALTER TABLE `hero` DROP COLUMN `team_id`;
