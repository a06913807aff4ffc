ALTER TABLE "hero" ADD CONSTRAINT "ck_hero_c743e036" CHECK ("age" IS NULL OR "age" >= 0);
