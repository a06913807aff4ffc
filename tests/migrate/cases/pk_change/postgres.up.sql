ALTER TABLE "member" DROP CONSTRAINT "pk_member";
ALTER TABLE "member" ADD CONSTRAINT "pk_member" PRIMARY KEY ("team_id", "person");
