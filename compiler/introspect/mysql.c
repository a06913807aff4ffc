/*
 * mysql.c: MariaDB's and MySQL's catalog, in the connection's database,
 * from information_schema: columns (COLUMN_TYPE names the type), indexes
 * (STATISTICS: the key, unique constraints, plain indexes), foreign keys
 * (KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS) and CHECK constraints.
 * The server gives back its own spelling (`c` in ('a','b'), curdate(),
 * char_length); it is turned into the one smc writes before reading.
 */
#include "introspect.h"

#include "dialect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void set_type(smc_ctx *ctx, smc_itable *t, smc_icol *c)
{
    static const smc_itype_name known[] = {
        {"bigint", SMC_B_INT}, {"int", SMC_B_I32}, {"smallint", SMC_B_I16},
        {"tinyint(1)", SMC_B_BOOL}, {"double", SMC_B_FLOAT}, {"longtext", SMC_B_TEXT},
        {"longblob", SMC_B_BYTES}, {"date", SMC_B_DATE}, {"time(6)", SMC_B_TIME},
        {"datetime(6)", SMC_B_DATETIME}, {"char(36)", SMC_B_UUID},
    };
    char ty[64];
    snprintf(ty, sizeof ty, "%s", c->sql_type);
    char *paren = strchr(ty, '(');
    /* bigint(20), int(11): the display width means nothing. */
    if (paren && (strncmp(ty, "bigint(", 7) == 0 || strncmp(ty, "int(", 4) == 0 ||
                  strncmp(ty, "smallint(", 9) == 0))
        *paren = 0;
    smc_itype(ctx, t, c, ty, known, sizeof known / sizeof known[0], "decimal(%u,%u%c",
              "varchar(%u%c", "MariaDB/MySQL");
}

/* The character a MariaDB escape `\c` stands for. */
static char unescape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return '\0';
    case 'Z': return '\032';
    default: return c;
    }
}

/* A string literal at s ('...', MariaDB's backslash escapes) copied to
 * o in standard SQL (quotes doubled); returns the length of the literal
 * read, and advances *k. */
static size_t plain_string(const char *s, char *o, size_t *k)
{
    size_t i = 1;
    o[(*k)++] = '\'';
    while (s[i] && !(s[i] == '\'' && s[i + 1] != '\'')) {
        char c = s[i];
        if (c == '\\' && s[i + 1]) {
            c = unescape(s[i + 1]);
            i += 2;
        } else {
            i += 1 + (c == '\'');
        }
        if (c == '\'')
            o[(*k)++] = '\'';
        o[(*k)++] = c;
    }
    o[(*k)++] = '\'';
    return s[i] ? i + 1 : i;
}

/* The DEFAULT in smc's spelling. */
static const char *plain_default(smc_ctx *ctx, const smc_icol *c, const char *d)
{
    const smc_dialect *dl = &smc_dialects[SM_MYSQL];
    if (!d || strcmp(d, "NULL") == 0)
        return NULL;
    if (strcasecmp(d, "current_timestamp(6)") == 0)
        return dl->now_default[2];
    if (strcasecmp(d, "curdate()") == 0)
        return dl->now_default[0];
    if (strcasecmp(d, "curtime(6)") == 0)
        return dl->now_default[1];
    if (strcasecmp(d, "uuid()") == 0)
        return dl->uuid_default;
    if (c->base == SMC_B_BOOL && (strcmp(d, "1") == 0 || strcmp(d, "0") == 0))
        return d[0] == '1' ? dl->true_lit : dl->false_lit;
    if (d[0] == '\'') {
        char *o = smc_alloc(ctx, 2 * strlen(d) + 3);
        size_t k = 0;
        size_t n = plain_string(d, o, &k);
        o[k] = 0;
        if (d[n] == 0)
            return o;
    }
    return smc_strdup(ctx, d);
}

/* A CHECK clause in smc's spelling: "names", SQL's keywords upper case,
 * `, ` between list items, length() for char_length(). */
static const char *plain_check(smc_ctx *ctx, const char *s)
{
    size_t n = strlen(s);
    char *o = smc_alloc(ctx, 3 * n + 1);
    size_t k = 0;
    static const char *const words[] = {"and", "or", "not", "is", "null", "in", "like", "between",
                                        NULL};
    for (size_t i = 0; i < n;) {
        if (s[i] == '\'') {
            i += plain_string(s + i, o, &k);
            if (s[i] == ',' && s[i + 1] == '\'') { /* ('a','b') */
                o[k++] = ',';
                o[k++] = ' ';
                i++;
            }
        } else if (s[i] == '`') { /* a name: "name", its quotes doubled */
            o[k++] = '"';
            for (i++; i < n && !(s[i] == '`' && s[i + 1] != '`'); i++) {
                i += s[i] == '`';
                if (s[i] == '"')
                    o[k++] = '"';
                o[k++] = s[i];
            }
            o[k++] = '"';
            i++;
        } else if (isalpha((unsigned char)s[i]) && (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
            size_t e = i;
            while (e < n && (isalnum((unsigned char)s[e]) || s[e] == '_'))
                e++;
            bool word = false;
            for (size_t w = 0; words[w] && !word; w++)
                word = strlen(words[w]) == e - i && strncmp(words[w], s + i, e - i) == 0;
            if (e - i == 11 && strncmp(s + i, "char_length", 11) == 0) {
                memcpy(o + k, "length", 6);
                k += 6;
            } else if (e - i == 10 && strncmp(s + i, "json_valid", 10) == 0) {
                memcpy(o + k, "json_valid", 10);
                k += 10;
            } else {
                for (size_t x = i; x < e; x++)
                    o[k++] = word ? (char)toupper((unsigned char)s[x]) : s[x];
            }
            i = e;
        } else {
            o[k++] = s[i++];
        }
    }
    o[k] = 0;
    return o;
}

/* s as a MariaDB name, `quoted`. */
static const char *quoted(smc_ctx *ctx, const char *s)
{
    sm_buf b = SM_BUF_INIT;
    smc_sql_ident(&b, &smc_dialects[SM_MYSQL], s);
    const char *q = smc_strndup(ctx, b.data ? b.data : "", b.len);
    sm_buf_free(&b);
    return q;
}

/* s as a string literal of MariaDB, where '\\' escapes. */
static const char *lit(smc_ctx *ctx, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *x = smc_alloc(ctx, 2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            x[k++] = '\\';
        x[k++] = s[i];
    }
    return smc_ilit(ctx, x);
}

/* Is an action one that fk_no_action_alike reads as none? */
static bool alike(const char *action)
{
    return action && strcmp(action, "restrict") == 0;
}

static bool rows_done(smc_ireader *r, sm_rows *rows, int rc)
{
    sm_rows_close(rows);
    return smc_idone(r, rc);
}

/* The string literal after "DEFAULT " in the line of column `col` of a
 * SHOW CREATE TABLE, or NULL.  information_schema holds its text in
 * utf8mb3 (a 4-byte character becomes "????"); SHOW CREATE TABLE keeps
 * every byte, escaped the same way. */
static const char *create_default(smc_ctx *ctx, const char *create, const char *col)
{
    size_t n = strlen(col);
    for (const char *s = create; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
        if (strncmp(s, "  `", 3) != 0)
            continue;
        const char *p = s + 3;
        size_t k = 0;
        while (*p && k < n && (*p == '`' ? p[1] == '`' && col[k] == '`' : *p == col[k])) {
            p += *p == '`' ? 2 : 1;
            k++;
        }
        if (k != n || *p != '`' || p[1] == '`')
            continue;
        /* Past the type and attributes, outside quotes, to " DEFAULT '". */
        for (p++; *p && *p != '\n'; p++) {
            if (*p == '\'') {
                char *o = smc_alloc(ctx, 2 * strlen(p) + 3);
                size_t len = 0, used = plain_string(p, o, &len);
                if (p - s >= 9 && strncmp(p - 9, " DEFAULT ", 9) == 0) {
                    o[len] = 0;
                    return o;
                }
                p += used - 1;
            }
        }
        return NULL;
    }
    return NULL;
}

/* A column's type, DEFAULT and auto_increment (gen: EXTRA). */
static void finish_col(smc_ctx *ctx, smc_itable *t, smc_icol *c, const char *deflt, const char *gen)
{
    set_type(ctx, t, c);
    c->deflt = plain_default(ctx, c, deflt);
    c->autoinc = gen && strstr(gen, "auto_increment");
}

bool smc_introspect_mysql(smc_ctx *ctx, sm_cx *cx, sm_conn *conn, smc_icatalog *cat,
                          const char **why)
{
    smc_ireader r = {ctx, cx, conn, why};
    cat->dialect = SM_MYSQL;
    if (!smc_itables(&r, cat, "SELECT table_name FROM information_schema.tables WHERE "
                              "table_schema = DATABASE() AND table_type = 'BASE TABLE' AND "
                              "table_name <> 'smdl_migrations' ORDER BY create_time, table_name"))
        return false;
    sm_rows *rows;
    int rc;
    for (uint32_t ti = 0; ti < cat->ntables; ti++) {
        smc_itable *t = &cat->tables[ti];
        const char *tn = lit(ctx, t->name);
        if (!smc_icolumns(&r, t, smc_printf(ctx,
            "SELECT column_name, column_type, is_nullable, column_default, extra FROM "
            "information_schema.columns WHERE table_schema = DATABASE() AND table_name = %s "
            "ORDER BY ordinal_position", tn), finish_col))
            return false;
        rows = smc_iquery(&r, smc_printf(ctx, "SHOW CREATE TABLE %s", quoted(ctx, t->name)));
        if (!rows)
            return false;
        const char *create = NULL;
        while ((rc = sm_rows_next(rows)) == SM_ROW)
            create = smc_itext(&r, rows, 1);
        if (!rows_done(&r, rows, rc))
            return false;
        for (uint32_t i = 0; i < t->ncols && create; i++) {
            smc_icol *c = &t->cols[i];
            const char *exact = c->deflt && c->deflt[0] == '\'' ? create_default(ctx, create, c->name)
                                                                 : NULL;
            c->deflt = exact ? exact : c->deflt;
        }
        /* Foreign keys, before the indexes: the index MySQL makes for one
         * is not the schema's. */
        rows = smc_iquery(&r, smc_printf(ctx,
            "SELECT k.constraint_name, k.column_name, k.referenced_table_name, "
            "k.referenced_column_name, c.delete_rule, c.update_rule FROM "
            "information_schema.key_column_usage k JOIN information_schema.referential_constraints c "
            "ON c.constraint_schema = k.constraint_schema AND c.constraint_name = k.constraint_name "
            "AND c.table_name = k.table_name WHERE k.table_schema = DATABASE() AND "
            "k.table_name = %s AND k.referenced_table_name IS NOT NULL ORDER BY "
            "k.constraint_name, k.ordinal_position", tn));
        if (!rows)
            return false;
        while ((rc = sm_rows_next(rows)) == SM_ROW) {
            const char *name = sm_rows_text(rows, 0);
            if (!t->nfks || strcmp(t->fks[t->nfks - 1].name, name) != 0) {
                smc_ilist *f = smc_inew_list(ctx, &t->fks, &t->nfks);
                f->name = smc_strdup(ctx, name);
                f->ref_table = smc_itext(&r, rows, 2);
                /* RESTRICT, NO ACTION and none are alike here (the
                 * server reports RESTRICT for each): read as none. */
                const char *del = sm_rows_text(rows, 4), *upd = sm_rows_text(rows, 5);
                f->on_delete = smc_iaction(del);
                f->on_update = smc_iaction(upd);
                if (smc_dialects[SM_MYSQL].fk_no_action_alike) {
                    f->on_delete = alike(f->on_delete) ? NULL : f->on_delete;
                    f->on_update = alike(f->on_update) ? NULL : f->on_update;
                }
            }
            smc_ilist *f = &t->fks[t->nfks - 1];
            f->cols = smc_igrow(ctx, f->cols, f->ncols, sizeof *f->cols);
            f->ref_cols = smc_igrow(ctx, f->ref_cols, f->ncols, sizeof *f->ref_cols);
            f->cols[f->ncols] = smc_itext(&r, rows, 1);
            f->ref_cols[f->ncols++] = smc_itext(&r, rows, 3);
        }
        if (!rows_done(&r, rows, rc))
            return false;
        rows = smc_iquery(&r, smc_printf(ctx,
            "SELECT index_name, non_unique, column_name FROM information_schema.statistics WHERE "
            "table_schema = DATABASE() AND table_name = %s ORDER BY index_name = 'PRIMARY' DESC, "
            "index_name, seq_in_index", tn));
        if (!rows)
            return false;
        smc_ilist *cur = NULL;
        while ((rc = sm_rows_next(rows)) == SM_ROW) {
            const char *name = sm_rows_text(rows, 0), *col = sm_rows_text(rows, 2);
            if (!cur || strcmp(cur->name, name) != 0) {
                if (strcmp(name, "PRIMARY") == 0) {
                    cur = &t->pk;
                } else {
                    cur = smc_inew_list(ctx, &t->indexes, &t->nindexes);
                    cur->unique = sm_rows_int(rows, 1) == 0;
                }
                cur->name = smc_strdup(ctx, name);
            }
            cur->cols = smc_igrow(ctx, cur->cols, cur->ncols, sizeof *cur->cols);
            cur->cols[cur->ncols++] = col ? smc_strdup(ctx, col) : "?";
        }
        if (!rows_done(&r, rows, rc))
            return false;
        /* The index a foreign key got from the server carries its name. */
        uint32_t n = 0;
        for (uint32_t i = 0; i < t->nindexes; i++) {
            bool auto_ix = false;
            for (uint32_t k = 0; k < t->nfks && !t->indexes[i].unique; k++)
                auto_ix |= strcmp(t->fks[k].name, t->indexes[i].name) == 0;
            if (!auto_ix)
                t->indexes[n++] = t->indexes[i];
        }
        t->nindexes = n;
        rows = smc_iquery(&r, smc_printf(ctx,
            "SELECT constraint_name, check_clause FROM information_schema.check_constraints WHERE "
            "constraint_schema = DATABASE() AND table_name = %s ORDER BY constraint_name", tn));
        if (!rows)
            return false;
        while ((rc = sm_rows_next(rows)) == SM_ROW) {
            const char *e = plain_check(ctx, sm_rows_text(rows, 1));
            if (smc_icheck_typed(ctx, t, e))
                continue;
            t->checks = smc_igrow(ctx, t->checks, t->nchecks, sizeof *t->checks);
            t->check_names = smc_igrow(ctx, t->check_names, t->nchecks, sizeof *t->check_names);
            t->check_names[t->nchecks] = smc_itext(&r, rows, 0);
            t->checks[t->nchecks++] = e;
        }
        if (!rows_done(&r, rows, rc))
            return false;
        for (uint32_t i = 0; i < t->ncols; i++)
            if (t->cols[i].values)
                t->cols[i].max_len = -1;
    }
    return true;
}
