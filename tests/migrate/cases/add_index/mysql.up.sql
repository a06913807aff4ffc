ALTER TABLE `hero` ADD INDEX `ix_hero_name_age` (`name`, `age`);
