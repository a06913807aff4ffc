/* /heroes/ and /heroes/{hero_id}: the hero routes of the FastAPI
 * tutorial, over the generated heroes.h. */
#include "api.h"
#include "heroes.h"

#include <string.h>

static const char NOT_FOUND[] = "Hero not found";

/* Writes a hero as HeroPublic. */
static int public_json(const Hero *h, sm_buf *out)
{
    HeroPublic pub;
    int rc = hero_public_from_hero(h, &pub);
    return rc == SM_OK ? hero_public_to_json(&pub, out) : rc;
}

/* POST /heroes/: HeroCreate in, HeroPublic out. */
static int create(sm_cx *cx, sm_conn *conn, sm_arena *arena, const api_request *rq,
                  api_response *rs)
{
    sm_errors errs = SM_ERRORS_INIT;
    HeroCreate in;
    int rc = hero_create_from_json(rq->body, rq->body_len, &in, arena, &errs);
    if (rc == SM_INVALID)
        rc = api_fail_body(&errs, rq, rs);
    sm_errors_free(&errs);
    if (rc != SM_OK || rs->status == 422)
        return rc;
    Hero h;
    if ((rc = hero_from_hero_create(&in, &h)) == SM_OK)
        rc = hero_insert(cx, conn, &h);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return public_json(&h, &rs->body);
}

/* GET /heroes/?offset=&limit=: a page of HeroPublic. */
static int list(sm_cx *cx, sm_conn *conn, sm_arena *arena, const api_request *rq,
                api_response *rs)
{
    api_page page;
    if (!api_read_page(rq, &page, rs))
        return SM_OK;
    Hero_list heroes;
    int rc = heroes_page(cx, conn, page.offset, page.limit, &heroes, arena);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    rc = sm_buf_putc(&rs->body, '[');
    for (size_t i = 0; rc == SM_OK && i < heroes.len; i++) {
        if (i > 0)
            rc = sm_buf_putc(&rs->body, ',');
        if (rc == SM_OK)
            rc = public_json(&heroes.items[i], &rs->body);
    }
    return rc == SM_OK ? sm_buf_putc(&rs->body, ']') : rc;
}

/* GET /heroes/{hero_id}: HeroPublicWithTeam, the team loaded. */
static int read_one(sm_cx *cx, sm_conn *conn, sm_arena *arena, int64_t id,
                    const api_request *rq, api_response *rs)
{
    Hero h;
    HeroPublicWithTeam pub;
    int rc = hero_get(cx, conn, id, &h, arena);
    if (rc == SM_OK)
        rc = hero_load_team(cx, conn, &h, arena);
    if (rc == SM_OK)
        rc = hero_public_with_team_from_hero(&h, &pub, arena);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return hero_public_with_team_to_json(&pub, &rs->body);
}

/* PATCH /heroes/{hero_id}: HeroUpdate (only the fields sent) in,
 * HeroPublic out. */
static int patch(sm_cx *cx, sm_conn *conn, sm_arena *arena, int64_t id, const api_request *rq,
                 api_response *rs)
{
    sm_errors errs = SM_ERRORS_INIT;
    HeroUpdate in;
    int rc = hero_update_from_json(rq->body, rq->body_len, &in, arena, &errs);
    if (rc == SM_INVALID)
        rc = api_fail_body(&errs, rq, rs);
    sm_errors_free(&errs);
    if (rc != SM_OK || rs->status == 422)
        return rc;
    Hero h;
    if ((rc = hero_patch(cx, conn, id, &in)) == SM_OK)
        rc = hero_get(cx, conn, id, &h, arena);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return public_json(&h, &rs->body);
}

/* DELETE /heroes/{hero_id}: {"ok":true}. */
static int delete(sm_cx *cx, sm_conn *conn, int64_t id, const api_request *rq, api_response *rs)
{
    int rc = hero_delete(cx, conn, id);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return sm_buf_puts(&rs->body, "{\"ok\":true}");
}

int api_heroes(sm_cx *cx, sm_conn *conn, sm_arena *arena, const char *id_text,
               const api_request *rq, api_response *rs)
{
    int64_t id;
    if (!id_text)
        return strcmp(rq->method, "POST") == 0 ? create(cx, conn, arena, rq, rs)
                                               : list(cx, conn, arena, rq, rs);
    if (!api_read_id(id_text, "hero_id", &id, rs))
        return SM_OK;
    if (strcmp(rq->method, "GET") == 0)
        return read_one(cx, conn, arena, id, rq, rs);
    if (strcmp(rq->method, "PATCH") == 0)
        return patch(cx, conn, arena, id, rq, rs);
    return delete(cx, conn, id, rq, rs);
}
