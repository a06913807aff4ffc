ALTER TABLE items ADD COLUMN price BIGINT NOT NULL DEFAULT 0;
INSERT INTO items (name, price) VALUES ('seed', 5);
