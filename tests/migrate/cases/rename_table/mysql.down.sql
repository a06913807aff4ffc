ALTER TABLE `squad` RENAME TO `team`;
