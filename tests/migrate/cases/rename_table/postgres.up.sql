ALTER TABLE "team" RENAME TO "squad";
ALTER TABLE "squad" RENAME CONSTRAINT "pk_team" TO "pk_squad";
