/* Chapter "Decimal Numbers" (money.smdl): heroes with money, exact to
 * the thousandth, and the sum of two heroes' money, exact too.  The
 * amounts are written as text and parsed (sm_decimal_parse), so 1.1 is
 * 1.1 and not the nearest binary fraction; a value with more digits
 * than decimal(5, 3) holds is refused. */
#include "chapter.h"
#include "money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PRECISION = 5, SCALE = 3 }; /* money: decimal(5, 3) */

static sm_decimal amount(const char *text)
{
    sm_decimal v;
    if (sm_decimal_parse(text, strlen(text), PRECISION, SCALE, &v) != SM_OK) {
        fprintf(stderr, "not a decimal(5, 3): %s\n", text);
        exit(1);
    }
    return v;
}

static void print_money_hero(const char *label, const Hero *h)
{
    char money[SM_DECIMAL_BUFSZ];
    sm_decimal_format(h->money, SCALE, money);
    printf("%s: id=%lld name='%s' secret_name='%s' age=", label, (long long)h->id, h->name,
           h->secret_name);
    if (h->has_age)
        printf("%lld", (long long)h->age);
    else
        printf("None");
    printf(" money=%s\n", money);
}

static Hero new_hero(const char *name, const char *secret_name, int64_t age, const char *money)
{
    Hero h = HERO_INIT;
    h.name = name;
    h.secret_name = secret_name;
    h.age = age;
    h.has_age = age > 0;
    h.money = amount(money);
    return h;
}

int main(int argc, char **argv)
{
    sm_cx cx;
    sm_cx_init(&cx);
    sm_conn *conn = open_db(&cx, argc, argv);
    sm_arena arena = SM_ARENA_INIT;
    int rc = money_drop_all(&cx, conn);
    if (rc == SM_OK)
        rc = money_create_all(&cx, conn);
    if (rc != SM_OK)
        fail(&cx, "create tables", rc);

    Hero heroes[3] = {
        new_hero("Deadpond", "Dive Wilson", 0, "1.1"),
        new_hero("Spider-Boy", "Pedro Parqueador", 0, "0.001"),
        new_hero("Rusty-Man", "Tommy Sharp", 48, "2.2"),
    };
    if ((rc = hero_insert_many(&cx, conn, heroes, 3)) != SM_OK)
        fail(&cx, "insert heroes", rc);

    Hero hero_1, hero_2;
    if ((rc = hero_named(&cx, conn, "Deadpond", &hero_1, &arena)) != SM_OK ||
        (rc = hero_named(&cx, conn, "Rusty-Man", &hero_2, &arena)) != SM_OK)
        fail(&cx, "hero_named", rc);
    print_money_hero("Hero 1", &hero_1);
    print_money_hero("Hero 2", &hero_2);
    /* Both are thousandths: adding them is adding integers. */
    char total[SM_DECIMAL_BUFSZ];
    sm_decimal_format(hero_1.money + hero_2.money, SCALE, total);
    printf("Total money: %s\n", total);

    /* What does not fit decimal(5, 3): six digits, or a fourth decimal
     * place.  The parser refuses both, as Pydantic refuses them. */
    sm_decimal v;
    printf("Parse 123.4: %s\n", sm_strerror(sm_decimal_parse("123.4", 5, PRECISION, SCALE, &v)));
    printf("Parse 0.0001: %s\n", sm_strerror(sm_decimal_parse("0.0001", 6, PRECISION, SCALE, &v)));

    sm_arena_free(&arena);
    sm_close(conn);
    sm_cx_free(&cx);
    return 0;
}
