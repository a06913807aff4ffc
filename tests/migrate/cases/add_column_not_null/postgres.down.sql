ALTER TABLE "hero" DROP COLUMN "power";
