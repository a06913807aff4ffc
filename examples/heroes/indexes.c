/* Chapter "Indexes - Optimize Queries": heroes.smdl declares `@index` on
 * Hero.name and Hero.age (SQLModel: Field(index=True)), and create_all
 * made ix_hero_name and ix_hero_age.  The program runs the chapter's
 * query, which the database may now answer through ix_hero_name, then
 * asks the database's own catalog which indexes the table hero has: the
 * catalog is no part of the schema, so this is the one chapter with a
 * statement of its own, one per dialect. */
#include "show.h"

#include <stdio.h>

/* The names of hero's indexes made from @index (ix_...), in order. */
static const char *const index_names_sql[] = {
    [SM_SQLITE] = "SELECT name FROM sqlite_master WHERE type = 'index'"
                  " AND tbl_name = 'hero' AND name LIKE 'ix%' ORDER BY name",
    [SM_POSTGRES] = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                    " AND tablename = 'hero' AND indexname LIKE 'ix%' ORDER BY indexname",
    [SM_MYSQL] = "SELECT DISTINCT index_name FROM information_schema.statistics"
                 " WHERE table_schema = DATABASE() AND table_name = 'hero'"
                 " AND index_name LIKE 'ix%' ORDER BY index_name",
};

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;

    /* select(Hero).where(Hero.name == "Deadpond") */
    Hero_list heroes;
    int rc = heroes_named(&cx, conn, "Deadpond", &heroes, &arena);
    if (rc != SM_OK)
        fail(&cx, "heroes_named", rc);
    for (size_t i = 0; i < heroes.len; i++)
        print_hero("Hero", &heroes.items[i]);

    sm_rows *rows;
    if ((rc = sm_query(&cx, conn, index_names_sql[sm_conn_dialect(conn)], NULL, 0, &rows)) != SM_OK)
        fail(&cx, "the catalog", rc);
    while ((rc = sm_rows_next(rows)) == SM_ROW)
        printf("Index on hero: %s\n", sm_rows_text(rows, 0));
    sm_rows_close(rows);
    if (rc != SM_DONE)
        fail(&cx, "the catalog", rc);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
