INSERT INTO `he'ro ta??/ble $$x` (`id`, `na'me??=`, `kind`) VALUES (1, 'Deadpond', 'fast'), (2, 'it''s \\ me', 'slow');
INSERT INTO `ring$$a$smdl$` (`id`, `hero_id`) VALUES (1, 1), (2, NULL);
