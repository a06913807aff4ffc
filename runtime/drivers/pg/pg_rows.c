/*
 * pg_rows.c: the columns of a PostgreSQL result row.
 *
 * Results come in text format: integers and floats are parsed (in the
 * "C" locale), booleans are "t"/"f" by the column's type OID, bytea is
 * hex ("\\x...", the session sets bytea_output=hex) and decoded per row.
 */
#include "pg_driver.h"

#include <stdlib.h>
#include <string.h>

/* Type OIDs of pg_type.dat used to interpret text results. */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_JSON = 114,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_NUMERIC = 1700,
    OID_UUID = 2950,
    OID_JSONB = 3802,
};

/* ---- Columns ------------------------------------------------------------------ */

static bool col_ok(sm_pg_stmt *st, int col)
{
    return st->res && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

int sm_pg_ncols(sm_stmt *sst)
{
    sm_pg_stmt *st = pgs(sst);
    return st->res ? PQnfields(st->res) : 0;
}

const char *sm_pg_colname(sm_stmt *sst, int col)
{
    sm_pg_stmt *st = pgs(sst);
    return st->res && col >= 0 && col < PQnfields(st->res) ? PQfname(st->res, col) : NULL;
}

/* The text of a column of the current row, NULL for SQL NULL.  libpq
 * gives "" for NULL, so only an empty value is asked about: reading a
 * row costs one libpq call per column less. */
static const char *value_of(sm_pg_stmt *st, int col)
{
    if (!col_ok(st, col))
        return NULL;
    const char *s = PQgetvalue(st->res, st->row, col);
    return *s || !PQgetisnull(st->res, st->row, col) ? s : NULL;
}

bool sm_pg_is_null(sm_stmt *sst, int col)
{
    return value_of(pgs(sst), col) == NULL;
}

int64_t sm_pg_parse_int(const char *s, locale_t cloc)
{
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t v = 0;
    /* Up to 18 digits cannot overflow: no check per digit. */
    const char *fast = p;
    while (*p >= '0' && *p <= '9' && p - fast < 18)
        v = v * 10 + (unsigned)(*p++ - '0');
    if (!*p)
        return neg ? -(int64_t)v : (int64_t)v;
    const uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (lim - d) / 10) {
            v = lim;
            while (*p >= '0' && *p <= '9')
                p++;
            break;
        }
        v = v * 10 + d;
    }
    if (*p) {
        /* strtod follows LC_NUMERIC: parse in the "C" locale. */
        locale_t old = cloc ? uselocale(cloc) : (locale_t)0;
        double d = strtod(s, NULL);
        if (cloc)
            uselocale(old);
        return sm_clamp_double(d);
    }
    return neg ? (int64_t)(0 - v) : (int64_t)v;
}

int64_t sm_pg_get_int(sm_stmt *sst, int col)
{
    sm_pg_stmt *st = pgs(sst);
    const char *s = value_of(st, col);
    if (!s)
        return 0;
    /* A bool is "t" or "f"; no number starts with a letter. */
    if ((s[0] == 't' || s[0] == 'f') && PQftype(st->res, col) == OID_BOOL)
        return s[0] == 't';
    return sm_pg_parse_int(s, pgc(sst->conn)->cloc);
}

double sm_pg_get_real(sm_stmt *sst, int col)
{
    sm_pg_stmt *st = pgs(sst);
    const char *s = value_of(st, col);
    if (!s)
        return 0.0;
    if ((s[0] == 't' || s[0] == 'f') && PQftype(st->res, col) == OID_BOOL)
        return s[0] == 't' ? 1.0 : 0.0;
    sm_pg_conn *c = pgc(sst->conn);
    locale_t old = uselocale(c->cloc);
    double d = strtod(s, NULL);
    uselocale(old);
    return d;
}

const char *sm_pg_get_text(sm_stmt *sst, int col, size_t *len)
{
    sm_pg_stmt *st = pgs(sst);
    const char *s = value_of(st, col);
    if (len)
        *len = s ? (size_t)PQgetlength(st->res, st->row, col) : 0;
    return s;
}


static bool is_hex_bytea(sm_pg_stmt *st, int col)
{
    const char *s = PQgetvalue(st->res, st->row, col);
    return PQftype(st->res, col) == OID_BYTEA && !PQgetisnull(st->res, st->row, col) &&
           s[0] == '\\' && s[1] == 'x';
}

/*
 * Decodes every bytea column of the current row at once into st->blob,
 * so that the pointers of several blob columns stay valid together until
 * the next row.  The buffer and offset table grow to the largest row and
 * are then reused.
 */
static int decode_row(sm_pg_stmt *st)
{
    int ncols = PQnfields(st->res);
    if (st->blob_cols < ncols) {
        size_t *at = realloc(st->blob_at, (size_t)ncols * 2 * sizeof *at);
        if (!at)
            return SM_NOMEM;
        st->blob_at = at;
        st->blob_cols = ncols;
    }
    size_t total = 0;
    for (int col = 0; col < ncols; col++)
        if (is_hex_bytea(st, col))
            total += ((size_t)PQgetlength(st->res, st->row, col) - 2) / 2;
    if (total > st->blob_cap) {
        uint8_t *b = realloc(st->blob, total);
        if (!b)
            return SM_NOMEM;
        st->blob = b;
        st->blob_cap = total;
    }
    size_t at = 0;
    for (int col = 0; col < ncols; col++) {
        st->blob_at[2 * col] = at;
        st->blob_at[2 * col + 1] = 0;
        if (!is_hex_bytea(st, col))
            continue;
        const char *s = PQgetvalue(st->res, st->row, col) + 2;
        size_t n = (size_t)PQgetlength(st->res, st->row, col) - 2;
        for (size_t i = 0; i + 1 < n; i += 2) {
            int hi = sm_hex_value((unsigned char)s[i]);
            int lo = sm_hex_value((unsigned char)s[i + 1]);
            if (hi < 0 || lo < 0)
                break;
            st->blob[at++] = (uint8_t)(hi * 16 + lo);
        }
        st->blob_at[2 * col + 1] = at - st->blob_at[2 * col];
    }
    st->blob_seq = st->rowseq;
    return SM_OK;
}

const void *sm_pg_get_blob(sm_stmt *sst, int col, size_t *len)
{
    sm_pg_stmt *st = pgs(sst);
    if (len)
        *len = 0;
    if (sm_pg_is_null(sst, col))
        return NULL;
    if (!is_hex_bytea(st, col))
        return sm_pg_get_text(sst, col, len);
    if (st->blob_seq != st->rowseq && decode_row(st) != SM_OK)
        return NULL;
    if (len)
        *len = st->blob_at[2 * col + 1];
    /* An empty bytea is a valid, non-NULL blob. */
    return st->blob ? (const void *)(st->blob + st->blob_at[2 * col]) : (const void *)"";
}

int sm_pg_coltype(sm_stmt *sst, int col)
{
    sm_pg_stmt *st = pgs(sst);
    if (!st->res || col < 0 || col >= PQnfields(st->res))
        return -1;
    switch (PQftype(st->res, col)) {
    case OID_BOOL:
        return SM_VBOOL;
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return SM_VINT;
    case OID_FLOAT4:
    case OID_FLOAT8:
        return SM_VREAL;
    case OID_BYTEA:
        return SM_VBLOB;
    case OID_TEXT:
    case OID_NAME:
    case OID_BPCHAR:
    case OID_VARCHAR:
    case OID_JSON:
    case OID_JSONB:
    case OID_UUID:
    case OID_DATE:
    case OID_TIME:
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
    case OID_NUMERIC:
        return SM_VTEXT;
    default:
        return -1;
    }
}

int64_t sm_pg_changes(sm_stmt *sst)
{
    sm_pg_stmt *st = pgs(sst);
    /* Read from the completion only when asked: most results are rows. */
    if (st->changes < 0)
        st->changes = st->res ? sm_pg_parse_int(PQcmdTuples(st->res), (locale_t)0) : 0;
    return st->changes;
}

int64_t sm_pg_insert_id(sm_stmt *sst)
{
    return pgs(sst)->insert_id;
}

