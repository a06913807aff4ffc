ALTER TABLE `hero` DROP CONSTRAINT `ck_hero_af440768`;
ALTER TABLE `hero` RENAME COLUMN `years` TO `age`;
ALTER TABLE `hero` RENAME INDEX `ix_hero_years` TO `ix_hero_age`;
ALTER TABLE `hero` RENAME INDEX `uq_hero_name_years` TO `uq_hero_name_age`;
ALTER TABLE `hero` ADD CONSTRAINT `ck_hero_c743e036` CHECK (`age` IS NULL OR `age` >= 0);
