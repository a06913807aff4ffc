/*
 * stmt_cache.c: the per-connection statement cache (DESIGN 4.5) and the
 * execution wrapper every statement goes through (tracing, statistics,
 * the stale-plan retry).
 *
 * One chained hash table holds every cached statement.  Generated
 * statements are keyed by (static descriptor address, variant) and stay
 * for the connection's life: there are finitely many.  Raw SQL is keyed
 * by its full text and also sits on an LRU list (most recent first) of
 * conn->raw_capacity entries; the least recently used one is evicted.
 * A statement held by an open result is marked busy: a lookup that finds
 * it busy prepares a second, uncached statement instead, which
 * sm_stmt_release finalizes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_BUCKETS 64

static int grow(sm_cx *cx, sm_conn *conn)
{
    size_t nb = conn->nbuckets ? conn->nbuckets * 2 : INITIAL_BUCKETS;
    sm_stmt **b = calloc(nb, sizeof *b);
    if (!b)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory growing the statement cache");
    for (size_t i = 0; i < conn->nbuckets; i++) {
        sm_stmt *st = conn->buckets[i];
        while (st) {
            sm_stmt *next = st->chain;
            size_t at = (size_t)st->hash & (nb - 1);
            st->chain = b[at];
            b[at] = st;
            st = next;
        }
    }
    free(conn->buckets);
    conn->buckets = b;
    conn->nbuckets = nb;
    return SM_OK;
}

static void lru_unlink(sm_conn *conn, sm_stmt *st)
{
    if (st->lru_prev)
        st->lru_prev->lru_next = st->lru_next;
    else
        conn->lru_head = st->lru_next;
    if (st->lru_next)
        st->lru_next->lru_prev = st->lru_prev;
    else
        conn->lru_tail = st->lru_prev;
    st->lru_prev = st->lru_next = NULL;
}

static void lru_push(sm_conn *conn, sm_stmt *st)
{
    st->lru_prev = NULL;
    st->lru_next = conn->lru_head;
    if (conn->lru_head)
        conn->lru_head->lru_prev = st;
    conn->lru_head = st;
    if (!conn->lru_tail)
        conn->lru_tail = st;
}

static void hash_unlink(sm_conn *conn, sm_stmt *st)
{
    sm_stmt **pp = &conn->buckets[(size_t)st->hash & (conn->nbuckets - 1)];
    while (*pp && *pp != st)
        pp = &(*pp)->chain;
    if (*pp)
        *pp = st->chain;
    st->chain = NULL;
}

static void drop_secrets(sm_stmt *st);

static void destroy(sm_stmt *st)
{
    char *sql = st->sql;
    drop_secrets(st);
    free(st->plan);
    st->conn->drv->finalize(st);
    free(sql);
}

/* Takes st out of the cache: it is destroyed when released. */
static void forget(sm_conn *conn, sm_stmt *st)
{
    if (!st->cached)
        return;
    if (!st->key) {
        lru_unlink(conn, st);
        conn->nraw--;
    }
    hash_unlink(conn, st);
    conn->nstmts--;
    st->cached = false;
}

/* Prepares sql and fills the common part of the new statement. */
static int prepare(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out)
{
    *out = NULL;
    size_t n = strlen(sql);
    char *copy = malloc(n + 1);
    if (!copy)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory preparing a statement");
    memcpy(copy, sql, n + 1);
    sm_stmt *st = NULL;
    int rc = conn->drv->prepare(cx, conn, sql, &st);
    if (rc != SM_OK) {
        free(copy);
        return rc;
    }
    st->conn = conn;
    st->sql = copy;
    conn->stats.prepares++;
    *out = st;
    return SM_OK;
}

/* The least recently used raw statement that is not busy goes. */
static void evict(sm_conn *conn)
{
    sm_stmt *st = conn->lru_tail;
    while (st && st->busy)
        st = st->lru_prev;
    if (!st)
        return;
    forget(conn, st);
    conn->stats.evictions++;
    destroy(st);
}

static int insert(sm_cx *cx, sm_conn *conn, sm_stmt *st)
{
    if (conn->nstmts + 1 > conn->nbuckets) {
        int rc = grow(cx, conn);
        if (rc != SM_OK)
            return rc;
    }
    size_t at = (size_t)st->hash & (conn->nbuckets - 1);
    st->chain = conn->buckets[at];
    conn->buckets[at] = st;
    conn->nstmts++;
    st->cached = true;
    return SM_OK;
}

/* The cached generated statement (key, variant) with hash h, busy or
 * not, or NULL. */
static sm_stmt *find_key(sm_conn *conn, const void *key, unsigned variant, uint64_t h)
{
    if (!conn->nbuckets)
        return NULL;
    for (sm_stmt *st = conn->buckets[(size_t)h & (conn->nbuckets - 1)]; st; st = st->chain)
        if (st->key == key && st->variant == variant && st->hash == h)
            return st;
    return NULL;
}

sm_stmt *sm_stmt_lookup(sm_conn *conn, const void *key, unsigned variant)
{
    sm_stmt *st = find_key(conn, key, variant, sm_stmt_hash(key, variant));
    return st && !st->busy ? sm_stmt_hit(conn, st) : NULL;
}

int sm_stmt_cached_miss(sm_cx *cx, sm_conn *conn, const void *key, unsigned variant,
                        const char *sql, sm_stmt **out)
{
    uint64_t h = sm_stmt_hash(key, variant);
    bool held = find_key(conn, key, variant, h) != NULL; /* and busy */
    *out = NULL;
    if (!sql)
        return sm_cx_fail(cx, SM_UNSUPPORTED, "this statement is not available on %s",
                          conn->drv->name);
    sm_stmt *st;
    int rc = prepare(cx, conn, sql, &st);
    if (rc != SM_OK)
        return rc;
    st->key = key;
    st->variant = variant;
    st->hash = h;
    if (!held && (rc = insert(cx, conn, st)) != SM_OK) {
        destroy(st);
        return rc;
    }
    st->busy = true;
    *out = st;
    return SM_OK;
}

int sm_stmt_raw(sm_cx *cx, sm_conn *conn, const char *sql, sm_stmt **out)
{
    uint64_t h = sm_fnv1a64(SM_FNV64_INIT, sql);
    bool held = false;
    *out = NULL;
    if (conn->nbuckets) {
        for (sm_stmt *st = conn->buckets[(size_t)h & (conn->nbuckets - 1)]; st;
             st = st->chain) {
            if (!st->key && st->hash == h && strcmp(st->sql, sql) == 0) {
                if (st->busy) {
                    held = true;
                    break;
                }
                lru_unlink(conn, st);
                lru_push(conn, st);
                *out = sm_stmt_hit(conn, st);
                return SM_OK;
            }
        }
    }
    sm_stmt *st;
    int rc = prepare(cx, conn, sql, &st);
    if (rc != SM_OK)
        return rc;
    st->hash = h;
    st->busy = true;
    if (held || conn->raw_capacity == 0) {
        *out = st;
        return SM_OK;
    }
    if ((rc = insert(cx, conn, st)) != SM_OK) {
        destroy(st);
        return rc;
    }
    lru_push(conn, st);
    conn->nraw++;
    while (conn->nraw > conn->raw_capacity) {
        size_t before = conn->nraw;
        evict(conn);
        if (conn->nraw == before)
            break; /* every older statement is busy */
    }
    *out = st;
    return SM_OK;
}

/* Frees the kept secrets, overwriting them first. */
static SM_COLD void wipe_secrets(sm_stmt *st)
{
    size_t size = st->nsecrets * sizeof *st->secrets;
    for (size_t i = 0; i < st->nsecrets; i++)
        if ((st->secrets[i].kind == SM_VTEXT || st->secrets[i].kind == SM_VBLOB) &&
            st->secrets[i].u.p)
            size += st->secrets[i].len;
    sm_wipe(st->secrets, size);
    free(st->secrets);
    st->secrets = NULL;
    st->nsecrets = 0;
}

static inline void drop_secrets(sm_stmt *st)
{
    if (SM_UNLIKELY(st->secrets != NULL))
        wipe_secrets(st);
}

/* Keeps copies of the secret values among params on st, in one block
 * (the values, then the bytes of texts and blobs), while its rows are
 * read. */
static SM_COLD int copy_secrets(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    size_t count = 0, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(params[i].flags & SM_V_SECRET))
            continue;
        count++;
        if ((params[i].kind == SM_VTEXT || params[i].kind == SM_VBLOB) && params[i].u.p)
            bytes += params[i].len;
    }
    sm_value *v = malloc(count * sizeof *v + bytes + 1);
    if (!v)
        return sm_cx_fail(cx, SM_NOMEM, "out of memory keeping secret parameters");
    unsigned char *at = (unsigned char *)(v + count);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(params[i].flags & SM_V_SECRET))
            continue;
        v[k] = params[i];
        if (v[k].kind == SM_VTEXT || v[k].kind == SM_VBLOB) {
            if (v[k].u.p)
                memcpy(at, v[k].u.p, v[k].len);
            v[k].u.p = v[k].u.p ? at : NULL;
            at += v[k].u.p ? v[k].len : 0;
        } else if (v[k].kind != SM_VINT && v[k].kind != SM_VREAL) {
            v[k].kind = SM_VNULL; /* nothing the redaction looks for */
        }
        k++;
    }
    st->secrets = v;
    st->nsecrets = count;
    return SM_OK;
}

static inline int keep_secrets(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (SM_UNLIKELY(params[i].flags & SM_V_SECRET))
            return copy_secrets(cx, st, params, n);
    return SM_OK;
}

/* A cached plan died with a schema change: prepare the same text again
 * and run it once more (no row was returned yet).  When that fails the
 * statement is unusable: it leaves the cache (release destroys it, the
 * next call prepares afresh) and the call fails with the preparation's
 * own error. */
static SM_COLD int run_stale(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    sm_conn *conn = st->conn;
    int rc = SM_STALE;
    if (conn->drv->reprepare) {
        int prc = conn->drv->reprepare(cx, st);
        if (prc == SM_OK) {
            conn->stats.prepares++;
            rc = conn->drv->execute(cx, st, params, n);
        } else {
            forget(conn, st);
            rc = prc;
        }
    }
    if (rc == SM_STALE)
        rc = sm_cx_fail(cx, SM_ERROR, "the statement's plan is stale after a schema change");
    return rc;
}

/* Runs st once; the part of sm_stmt_exec every statement takes. */
static inline int run_once(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    sm_conn *conn = st->conn;
    int rc = conn->drv->execute(cx, st, params, n);
    if (SM_UNLIKELY(rc == SM_STALE))
        rc = run_stale(cx, st, params, n);
    conn->stats.statements++;
    /* The message of a failure may quote a parameter (a value of the
     * wrong type, in the database's words): secret ones go, now and on
     * every later row. */
    drop_secrets(st);
    if (rc == SM_ROW && SM_UNLIKELY(keep_secrets(cx, st, params, n) != SM_OK))
        rc = SM_NOMEM;
    if (SM_UNLIKELY(rc < 0))
        sm_cx_redact(cx, params, n);
    return rc;
}

/* sm_stmt_exec with a trace callback set: timed, then reported. */
static SM_COLD int run_traced(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    sm_conn *conn = st->conn;
    int64_t t0 = sm_mono_ns();
    int rc = run_once(cx, st, params, n);
    int64_t dt = sm_mono_ns() - t0;
    sm_value shown[16], *heap;
    sm_trace t;
    t.sql = st->sql;
    t.params = sm_trace_values(params, n, shown, sizeof shown / sizeof shown[0], &heap);
    t.nparams = t.params ? n : 0;
    t.duration_ns = dt;
    t.rc = sm_call_code(cx, rc);
    t.rows = -1;
    if (rc == SM_DONE)
        t.rows = conn->drv->ncols(st) > 0 ? 0 : conn->drv->changes(st);
    t.cached = st->reused;
    conn->trace(conn->trace_ud, &t);
    free(heap);
    return rc;
}

static SM_COLD int wrong_count(sm_cx *cx, const sm_stmt *st, size_t n)
{
    return sm_cx_fail(cx, SM_MISUSE, "the statement has %d placeholder%s, %zu parameter%s given",
                      st->nparams, st->nparams == 1 ? "" : "s", n, n == 1 ? "" : "s");
}

SM_HOT int sm_stmt_exec(sm_cx *cx, sm_stmt *st, const sm_value *params, size_t n)
{
    if (SM_UNLIKELY(n != (size_t)st->nparams))
        return wrong_count(cx, st, n);
    /* A call that runs several statements stops at the next one after a
     * cancel or the deadline, even if each one alone is too short to be
     * interrupted. */
    if (SM_UNLIKELY(sm_cx_check(cx) != SM_OK))
        return SM_INTERRUPTED;
    if (SM_UNLIKELY(st->conn->trace != NULL))
        return run_traced(cx, st, params, n);
    return run_once(cx, st, params, n);
}

int sm_stmt_next(sm_cx *cx, sm_stmt *st)
{
    int rc = st->conn->drv->next(cx, st);
    if (rc < 0)
        sm_cx_redact(cx, st->secrets, st->nsecrets);
    return rc;
}

void sm_stmt_drop(sm_stmt *st)
{
    drop_secrets(st);
    if (!st->cached)
        destroy(st);
}

void sm_stmt_cache_free(sm_conn *conn)
{
    for (size_t i = 0; i < conn->nbuckets; i++) {
        sm_stmt *st = conn->buckets[i];
        while (st) {
            sm_stmt *next = st->chain;
            destroy(st);
            st = next;
        }
    }
    free(conn->buckets);
    conn->buckets = NULL;
    conn->nbuckets = conn->nstmts = conn->nraw = 0;
    conn->lru_head = conn->lru_tail = NULL;
}
