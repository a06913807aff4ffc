CREATE TABLE IF NOT EXISTS "mission" (
    "id" INTEGER NOT NULL,
    "hero_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    CONSTRAINT "pk_mission" PRIMARY KEY ("id"),
    CONSTRAINT "fk_mission_hero_id" FOREIGN KEY ("hero_id") REFERENCES "hero" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "ix_mission_title" ON "mission" ("title");
