ALTER TABLE `hero` DROP CONSTRAINT `ck_hero_c743e036`;
ALTER TABLE `hero` RENAME COLUMN `age` TO `years`;
ALTER TABLE `hero` RENAME INDEX `ix_hero_age` TO `ix_hero_years`;
ALTER TABLE `hero` RENAME INDEX `uq_hero_name_age` TO `uq_hero_name_years`;
ALTER TABLE `hero` ADD CONSTRAINT `ck_hero_af440768` CHECK (`years` IS NULL OR `years` >= 0);
