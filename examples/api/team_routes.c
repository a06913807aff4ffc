/* /teams/ and /teams/{team_id}: the team routes of the FastAPI
 * tutorial, over the generated heroes.h. */
#include "api.h"
#include "heroes.h"

#include <string.h>

static const char NOT_FOUND[] = "Team not found";

/* Writes a team as TeamPublic. */
static int public_json(const Team *t, sm_buf *out)
{
    TeamPublic pub;
    int rc = team_public_from_team(t, &pub);
    return rc == SM_OK ? team_public_to_json(&pub, out) : rc;
}

/* POST /teams/: TeamCreate in, TeamPublic out. */
static int create(sm_cx *cx, sm_conn *conn, sm_arena *arena, const api_request *rq,
                  api_response *rs)
{
    sm_errors errs = SM_ERRORS_INIT;
    TeamCreate in;
    int rc = team_create_from_json(rq->body, rq->body_len, &in, arena, &errs);
    if (rc == SM_INVALID)
        rc = api_fail_body(&errs, rq, rs);
    sm_errors_free(&errs);
    if (rc != SM_OK || rs->status == 422)
        return rc;
    Team t;
    if ((rc = team_from_team_create(&in, &t)) == SM_OK)
        rc = team_insert(cx, conn, &t);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return public_json(&t, &rs->body);
}

/* GET /teams/?offset=&limit=: a page of TeamPublic. */
static int list(sm_cx *cx, sm_conn *conn, sm_arena *arena, const api_request *rq,
                api_response *rs)
{
    api_page page;
    if (!api_read_page(rq, &page, rs))
        return SM_OK;
    Team_list teams;
    int rc = teams_page(cx, conn, page.offset, page.limit, &teams, arena);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    rc = sm_buf_putc(&rs->body, '[');
    for (size_t i = 0; rc == SM_OK && i < teams.len; i++) {
        if (i > 0)
            rc = sm_buf_putc(&rs->body, ',');
        if (rc == SM_OK)
            rc = public_json(&teams.items[i], &rs->body);
    }
    return rc == SM_OK ? sm_buf_putc(&rs->body, ']') : rc;
}

/* GET /teams/{team_id}: TeamPublicWithHeroes, the heroes loaded. */
static int read_one(sm_cx *cx, sm_conn *conn, sm_arena *arena, int64_t id,
                    const api_request *rq, api_response *rs)
{
    Team t;
    TeamPublicWithHeroes pub;
    int rc = team_get(cx, conn, id, &t, arena);
    if (rc == SM_OK)
        rc = team_load_heroes(cx, conn, &t, arena);
    if (rc == SM_OK)
        rc = team_public_with_heroes_from_team(&t, &pub, arena);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return team_public_with_heroes_to_json(&pub, &rs->body);
}

/* PATCH /teams/{team_id}: TeamUpdate (only the fields sent) in,
 * TeamPublic out. */
static int patch(sm_cx *cx, sm_conn *conn, sm_arena *arena, int64_t id, const api_request *rq,
                 api_response *rs)
{
    sm_errors errs = SM_ERRORS_INIT;
    TeamUpdate in;
    int rc = team_update_from_json(rq->body, rq->body_len, &in, arena, &errs);
    if (rc == SM_INVALID)
        rc = api_fail_body(&errs, rq, rs);
    sm_errors_free(&errs);
    if (rc != SM_OK || rs->status == 422)
        return rc;
    Team t;
    if ((rc = team_patch(cx, conn, id, &in)) == SM_OK)
        rc = team_get(cx, conn, id, &t, arena);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return public_json(&t, &rs->body);
}

/* DELETE /teams/{team_id}: {"ok":true}. */
static int delete(sm_cx *cx, sm_conn *conn, int64_t id, const api_request *rq, api_response *rs)
{
    int rc = team_delete(cx, conn, id);
    if (rc != SM_OK)
        return api_fail(cx, rc, NOT_FOUND, rq, rs);
    rs->status = 200;
    return sm_buf_puts(&rs->body, "{\"ok\":true}");
}

int api_teams(sm_cx *cx, sm_conn *conn, sm_arena *arena, const char *id_text,
               const api_request *rq, api_response *rs)
{
    int64_t id;
    if (!id_text)
        return strcmp(rq->method, "POST") == 0 ? create(cx, conn, arena, rq, rs)
                                               : list(cx, conn, arena, rq, rs);
    if (!api_read_id(id_text, "team_id", &id, rs))
        return SM_OK;
    if (strcmp(rq->method, "GET") == 0)
        return read_one(cx, conn, arena, id, rq, rs);
    if (strcmp(rq->method, "PATCH") == 0)
        return patch(cx, conn, arena, id, rq, rs);
    return delete(cx, conn, id, rq, rs);
}
