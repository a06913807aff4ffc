ALTER TABLE `hero` DROP CONSTRAINT `ck_hero_power`;
ALTER TABLE `hero` ADD CONSTRAINT `ck_hero_power` CHECK (`power` IN ('flight', 'strength', 'speed'));
