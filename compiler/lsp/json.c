/*
 * json.c: the JSON of the protocol.  Messages are read whole into a tree
 * by libsmdl's strict pull lexer (no recursion, nesting bounded, UTF-8
 * checked); the tree lives in an arena dropped after the message.
 */
#include "lsp.h"

#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

lsp_json *lsp_json_parse(sm_arena *a, const char *s, size_t n, char *err, size_t errsize)
{
    sm_jlex L;
    sm_jlex_init(&L, s, n);
    lsp_json *stack[SM_JSON_MAX_DEPTH + 1], *tail[SM_JSON_MAX_DEPTH + 1];
    int depth = 0;
    lsp_json *root = NULL;
    const char *key = NULL;
    for (;;) {
        int ev = sm_jlex_next(&L);
        if (ev == SM_JEV_ERROR) {
            sm_jlex_describe(&L, err, errsize);
            return NULL;
        }
        if (ev == SM_JEV_EOF)
            return root;
        if (ev == SM_JEV_OBJ_END || ev == SM_JEV_ARR_END) {
            depth--;
            continue;
        }
        size_t tn = L.end - L.start;
        if (ev == SM_JEV_KEY) {
            char *k = sm_arena_alloc(a, tn + 1);
            if (!k)
                goto nomem;
            size_t kn = L.flags & SM_JTOK_ESC ? sm_json_unescape(s + L.start, tn, k)
                                              : (memcpy(k, s + L.start, tn), tn);
            k[kn] = 0;
            key = k;
            continue;
        }
        lsp_json *v = sm_arena_zalloc(a, sizeof *v);
        if (!v)
            goto nomem;
        v->key = key;
        key = NULL;
        switch (ev) {
        case SM_JEV_OBJ: v->kind = LJ_OBJ; break;
        case SM_JEV_ARR: v->kind = LJ_ARR; break;
        case SM_JEV_TRUE: v->kind = LJ_BOOL, v->b = true; break;
        case SM_JEV_FALSE: v->kind = LJ_BOOL; break;
        case SM_JEV_NULL: v->kind = LJ_NULL; break;
        case SM_JEV_NUM:
            v->kind = LJ_NUM;
            v->s = s + L.start;
            v->len = tn;
            break;
        default: { /* SM_JEV_STR */
            char *t = sm_arena_alloc(a, tn + 1);
            if (!t)
                goto nomem;
            v->len = L.flags & SM_JTOK_ESC ? sm_json_unescape(s + L.start, tn, t)
                                           : (memcpy(t, s + L.start, tn), tn);
            t[v->len] = 0;
            v->kind = LJ_STR;
            v->s = t;
        }
        }
        if (depth == 0) {
            root = v;
        } else {
            if (tail[depth])
                tail[depth]->next = v;
            else
                stack[depth]->kids = v;
            tail[depth] = v;
        }
        if (v->kind == LJ_OBJ || v->kind == LJ_ARR) {
            depth++;
            stack[depth] = v;
            tail[depth] = NULL;
        }
    }
nomem:
    snprintf(err, errsize, "out of memory");
    return NULL;
}

const lsp_json *lsp_json_get(const lsp_json *o, const char *key)
{
    if (!o || o->kind != LJ_OBJ)
        return NULL;
    for (const lsp_json *k = o->kids; k; k = k->next)
        if (strcmp(k->key, key) == 0)
            return k;
    return NULL;
}

const char *lsp_json_str(const lsp_json *o, const char *key)
{
    const lsp_json *v = lsp_json_get(o, key);
    return v && v->kind == LJ_STR ? v->s : NULL;
}

int64_t lsp_json_int(const lsp_json *o, const char *key, int64_t def)
{
    const lsp_json *v = lsp_json_get(o, key);
    if (!v || v->kind != LJ_NUM || v->len > 18)
        return def;
    int64_t r = 0;
    size_t i = v->s[0] == '-';
    if (i == v->len)
        return def;
    for (; i < v->len; i++) {
        if (v->s[i] < '0' || v->s[i] > '9')
            return def;
        r = r * 10 + (v->s[i] - '0');
    }
    return v->s[0] == '-' ? -r : r;
}


void lsp_json_write(sm_buf *b, const lsp_json *v)
{
    if (!v) {
        sm_buf_puts(b, "null");
        return;
    }
    switch (v->kind) {
    case LJ_NULL: sm_buf_puts(b, "null"); break;
    case LJ_BOOL: sm_buf_puts(b, v->b ? "true" : "false"); break;
    case LJ_NUM: sm_buf_append(b, v->s, v->len); break;
    case LJ_STR: smc_json_quote(b, v->s, v->len); break;
    default: {
        bool obj = v->kind == LJ_OBJ;
        sm_buf_putc(b, obj ? '{' : '[');
        for (const lsp_json *k = v->kids; k; k = k->next) {
            if (obj) {
                smc_json_quote(b, k->key, strlen(k->key));
                sm_buf_putc(b, ':');
            }
            lsp_json_write(b, k);
            if (k->next)
                sm_buf_putc(b, ',');
        }
        sm_buf_putc(b, obj ? '}' : ']');
    }
    }
}
