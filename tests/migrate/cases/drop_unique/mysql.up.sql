ALTER TABLE `hero` DROP INDEX `uq_hero_name`;
