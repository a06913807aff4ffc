ALTER TABLE "hero" RENAME COLUMN "title" TO "name";
