ALTER TABLE "squad" RENAME TO "team";
ALTER TABLE "team" RENAME CONSTRAINT "pk_squad" TO "pk_team";
