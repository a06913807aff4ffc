DELETE FROM parent;
