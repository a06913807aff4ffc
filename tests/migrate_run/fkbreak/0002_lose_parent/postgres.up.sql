TRUNCATE parent;
