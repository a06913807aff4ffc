ALTER TABLE `hero` DROP FOREIGN KEY `fk_hero_mentor_id`;
ALTER TABLE `hero` DROP INDEX `fk_hero_mentor_id`;
ALTER TABLE `hero` DROP COLUMN `mentor_id`;
