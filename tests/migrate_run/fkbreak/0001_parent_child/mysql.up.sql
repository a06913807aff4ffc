CREATE TABLE parent (id BIGINT PRIMARY KEY, name VARCHAR(100));
CREATE TABLE child (
    id BIGINT PRIMARY KEY,
    parent_id BIGINT NOT NULL,
    FOREIGN KEY (parent_id) REFERENCES parent (id)
);
INSERT INTO parent (id, name) VALUES (1, 'a');
INSERT INTO child (id, parent_id) VALUES (1, 1);
