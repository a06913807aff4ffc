ALTER TABLE `member` DROP PRIMARY KEY, ADD PRIMARY KEY (`team_id`, `person`);
