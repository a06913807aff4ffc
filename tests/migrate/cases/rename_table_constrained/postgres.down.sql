ALTER TABLE "squad" RENAME TO "team";
ALTER TABLE "team" RENAME CONSTRAINT "pk_squad" TO "pk_team";
ALTER TABLE "team" RENAME CONSTRAINT "uq_squad_name" TO "uq_team_name";
ALTER INDEX "ix_squad_city" RENAME TO "ix_team_city";
ALTER TABLE "team" RENAME CONSTRAINT "ck_squad_299cca60" TO "ck_team_299cca60";
