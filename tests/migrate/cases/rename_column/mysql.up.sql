ALTER TABLE `hero` RENAME COLUMN `name` TO `title`;
