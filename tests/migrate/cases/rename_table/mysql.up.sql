ALTER TABLE `team` RENAME TO `squad`;
