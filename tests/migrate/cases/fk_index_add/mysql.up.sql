ALTER TABLE `hero` ADD INDEX `ix_hero_team_id` (`team_id`);
