/*
 * rel_data.c: the rows the relationship tests start from.
 */
#include "rel_data.h"

void rel_seed(tdb *t)
{
    TDB_MUST(t, tdb_exec(t, "INSERT INTO teams (id, name) VALUES (1, 'Preventers'),"
                            " (2, 'Z-Force'), (3, 'Empty')", NULL, 0));
    TDB_MUST(t, tdb_exec(t, "INSERT INTO hero (id, name, team_id, mentor_id) VALUES"
                            " (3, 'Rusty-Man', 1, NULL), (1, 'Deadpond', 1, NULL),"
                            " (2, 'Spider-Boy', 2, 1), (4, 'Tarantula', NULL, 1),"
                            " (5, 'Black Lion', NULL, 4), (6, 'Dr. Weird', 2, NULL)", NULL, 0));
    TDB_MUST(t, tdb_exec(t, "INSERT INTO badge (id, label, hero_id) VALUES (7, 'gold', 2)", NULL,
                         0));
}

/* Rows in statements of at most 1,000. */
void rel_seed_teams(tdb *t, int n, int with, int per)
{
    sm_buf *b = &t->buf;
    for (int first = 1; first <= n; first += 1000) {
        sm_buf_reset(b);
        sm_buf_puts(b, "INSERT INTO teams (id, name) VALUES ");
        for (int i = first; i < first + 1000 && i <= n; i++)
            sm_buf_printf(b, "%s(%d, 'team %d')", i > first ? ", " : "", i, i);
        TDB_MUST(t, tdb_exec(t, b->data, NULL, 0));
    }
    int id = 1;
    for (int team = 1; team <= with; team++) {
        sm_buf_reset(b);
        sm_buf_puts(b, "INSERT INTO hero (id, name, team_id) VALUES ");
        for (int k = 0; k < per; k++, id++)
            sm_buf_printf(b, "%s(%d, 'hero %d', %d)", k ? ", " : "", id, id, team);
        TDB_MUST(t, tdb_exec(t, b->data, NULL, 0));
    }
}
