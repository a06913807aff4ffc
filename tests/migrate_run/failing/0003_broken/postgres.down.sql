DROP TABLE extra;
