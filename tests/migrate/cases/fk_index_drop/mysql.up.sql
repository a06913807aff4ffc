ALTER TABLE `hero` DROP FOREIGN KEY `fk_hero_team_id`;
ALTER TABLE `hero` DROP INDEX `ix_hero_team_id`;
ALTER TABLE `hero` ADD CONSTRAINT `fk_hero_team_id` FOREIGN KEY (`team_id`) REFERENCES `team` (`id`);
