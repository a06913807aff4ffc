CREATE TABLE IF NOT EXISTS `mission` (
    `id` BIGINT AUTO_INCREMENT NOT NULL,
    `hero_id` BIGINT NOT NULL,
    `title` LONGTEXT NOT NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_mission_hero_id` FOREIGN KEY (`hero_id`) REFERENCES `hero` (`id`) ON DELETE CASCADE,
    INDEX `ix_mission_title` (`title`(191))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
