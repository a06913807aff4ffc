ALTER TABLE "hero" RENAME COLUMN "years" TO "age";
ALTER INDEX "ix_hero_years" RENAME TO "ix_hero_age";
ALTER TABLE "hero" RENAME CONSTRAINT "uq_hero_name_years" TO "uq_hero_name_age";
ALTER TABLE "hero" RENAME CONSTRAINT "ck_hero_af440768" TO "ck_hero_c743e036";
