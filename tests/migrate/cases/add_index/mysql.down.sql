ALTER TABLE `hero` DROP INDEX `ix_hero_name_age`;
