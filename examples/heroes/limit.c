/* Chapter "Read a Range of Data - LIMIT and OFFSET": the heroes a page of
 * three at a time, then a page of a filtered select.
 * SQLModel: session.exec(select(Hero).offset(3).limit(3)).all() */
#include "show.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    Hero_list heroes;

    /* "Select with Limit", .limit(3), then "Select with Offset and Limit",
     * .offset(3).limit(3), and "Select Next Batch", .offset(6).limit(3):
     * only one hero is left for the last page, which is no error. */
    for (int64_t offset = 0; offset <= 6; offset += 3) {
        int rc = heroes_page(&cx, conn, offset, 3, &heroes, &arena);
        if (rc != SM_OK)
            fail(&cx, "heroes_page", rc);
        char label[64];
        snprintf(label, sizeof label, "offset %lld limit 3", (long long)offset);
        print_heroes(label, &heroes);
    }

    /* "Combine Limit and Offset with Where":
     * select(Hero).where(Hero.age > 32).offset(1).limit(2).  Four heroes are
     * older than 32; the first is skipped and two of the rest are read. */
    int rc = heroes_older_than_page(&cx, conn, 32, 1, 2, &heroes, &arena);
    if (rc != SM_OK)
        fail(&cx, "heroes_older_than_page", rc);
    print_heroes("where age > 32 offset 1 limit 2", &heroes);

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
