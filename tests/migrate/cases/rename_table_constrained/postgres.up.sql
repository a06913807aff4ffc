ALTER TABLE "team" RENAME TO "squad";
ALTER TABLE "squad" RENAME CONSTRAINT "pk_team" TO "pk_squad";
ALTER TABLE "squad" RENAME CONSTRAINT "uq_team_name" TO "uq_squad_name";
ALTER INDEX "ix_team_city" RENAME TO "ix_squad_city";
ALTER TABLE "squad" RENAME CONSTRAINT "ck_team_299cca60" TO "ck_squad_299cca60";
