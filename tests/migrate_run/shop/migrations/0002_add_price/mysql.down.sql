DELETE FROM items WHERE name = 'seed';
ALTER TABLE items DROP COLUMN price;
