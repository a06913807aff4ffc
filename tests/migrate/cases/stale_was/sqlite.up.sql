ALTER TABLE "squad" ADD COLUMN "name" TEXT;
CREATE TABLE IF NOT EXISTS "team" (
    "id" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    CONSTRAINT "pk_team" PRIMARY KEY ("id")
);
