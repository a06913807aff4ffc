ALTER TABLE "hero" RENAME COLUMN "age" TO "years";
ALTER INDEX "ix_hero_age" RENAME TO "ix_hero_years";
ALTER TABLE "hero" RENAME CONSTRAINT "uq_hero_name_age" TO "uq_hero_name_years";
ALTER TABLE "hero" RENAME CONSTRAINT "ck_hero_c743e036" TO "ck_hero_af440768";
