/*
 * sema_const.c: constants.  A default or literal converted to the
 * representation of its field's type (what the runtime stores), with a
 * clear error when it does not fit.
 */
#include "sema_int.h"

#include <string.h>

void smc_literal_text(smc_checker *ck, const smc_expr *e, const char **out, size_t *n)
{
    smc_source *src = ck->ctx->files[e->span.file];
    *out = src->text + e->span.off;
    *n = e->span.len;
}

/* "an integer", "a string", ...: what a literal is, for messages. */
static const char *describe(const smc_expr *e)
{
    switch (e->kind) {
    case SMC_EX_INT: return "an integer";
    case SMC_EX_FLOAT: return "a fractional number";
    case SMC_EX_STRING: return "a string";
    case SMC_EX_BOOL: return e->ival ? "'true'" : "'false'";
    case SMC_EX_NULL: return "null";
    case SMC_EX_NAME: return e->qual.s ? "a qualified name" : "a name";
    case SMC_EX_CALL: return "a function call";
    default: return "an expression";
    }
}

static bool mismatch(smc_checker *ck, smc_expr *e, const smc_type *t, const char *what)
{
    smc_error(ck->ctx, e->span, SMC_E_DEFAULT, "default is %s, but the field is '%s'",
              what ? what : describe(e), smc_type_name(ck->ctx, t));
    return false;
}

static bool int_in_range(smc_checker *ck, smc_expr *e, const smc_type *t)
{
    if (e->ival == INT64_MIN && e->op != SMC_OP_NEG) {
        smc_error(ck->ctx, e->span, SMC_E_NUMBER, "integer literal out of range");
        return false;
    }
    int64_t lo = t->base == SMC_B_I16 ? INT16_MIN : t->base == SMC_B_I32 ? INT32_MIN : INT64_MIN;
    int64_t hi = t->base == SMC_B_I16 ? INT16_MAX : t->base == SMC_B_I32 ? INT32_MAX : INT64_MAX;
    if (e->ival < lo || e->ival > hi) {
        smc_error(ck->ctx, e->span, SMC_E_DEFAULT, "%lld is out of range for '%s'",
                  (long long)e->ival, smc_type_name(ck->ctx, t));
        return false;
    }
    return true;
}

/* Checks that s is valid JSON text (used for json defaults). */
static bool json_text_ok(const char *s, size_t n)
{
    sm_errors errs = SM_ERRORS_INIT;
    /* A json-typed field of a throwaway model validates exactly as the
     * runtime will. */
    struct holder {
        const char *v;
    } h;
    static const sm_field field = {"v", NULL, "v", 0, SM_NONE, SM_NONE, SM_T_JSON, 0, 0, 0,
                                   NULL, NULL, NULL};
    static const struct holder init = {NULL};
    static const sm_model model = {"json", NULL, sizeof(struct holder), &init, &field, 1,
                                   NULL, 0, 0, NULL, NULL, 0, NULL, 0, NULL, 0};
    sm_buf doc = SM_BUF_INIT;
    sm_arena arena = SM_ARENA_INIT;
    sm_buf_puts(&doc, "{\"v\":");
    sm_buf_append(&doc, s, n);
    sm_buf_puts(&doc, "}");
    int rc = sm_model_from_json(&model, doc.data, doc.len, &h, &arena, &errs);
    sm_buf_free(&doc);
    sm_arena_free(&arena);
    sm_errors_free(&errs);
    return rc == SM_OK;
}

bool smc_const_value(smc_checker *ck, smc_expr *e, const smc_type *t, smc_const *out,
                     uint8_t *defkind)
{
    memset(out, 0, sizeof *out);
    *defkind = SMC_DEF_CONST;
    if (t->base == SMC_B_ERROR)
        return false;
    if (e->kind == SMC_EX_NULL) {
        if (!t->nullable)
            return mismatch(ck, e, t, "null");
        out->is_null = true;
        return true;
    }
    if (e->kind == SMC_EX_CALL && e->nargs == 0 && !e->qual.s) {
        if (strcmp(e->name.s, "now") == 0 &&
            (t->base == SMC_B_DATETIME || t->base == SMC_B_DATE || t->base == SMC_B_TIME)) {
            *defkind = SMC_DEF_NOW;
            return true;
        }
        if (strcmp(e->name.s, "uuid") == 0 && t->base == SMC_B_UUID) {
            *defkind = SMC_DEF_UUID;
            return true;
        }
        if (strcmp(e->name.s, "now") != 0 && strcmp(e->name.s, "uuid") != 0) {
            smc_error(ck->ctx, e->name.span, SMC_E_DEFAULT,
                      "'%s()' cannot be a default; defaults are constants, now() or uuid()",
                      e->name.s);
            return false;
        }
        return mismatch(ck, e, t, smc_printf(ck->ctx, "'%s()'", e->name.s));
    }
    const char *text;
    size_t n;
    switch (t->base) {
    case SMC_B_BOOL:
        if (e->kind != SMC_EX_BOOL)
            return mismatch(ck, e, t, NULL);
        out->i = e->ival;
        return true;
    case SMC_B_INT:
    case SMC_B_I32:
    case SMC_B_I16:
        if (e->kind != SMC_EX_INT)
            return mismatch(ck, e, t, NULL);
        out->i = e->ival;
        return int_in_range(ck, e, t);
    case SMC_B_FLOAT:
        if (e->kind == SMC_EX_INT) {
            out->d = (double)e->ival;
            return true;
        }
        if (e->kind != SMC_EX_FLOAT)
            return mismatch(ck, e, t, NULL);
        out->d = e->fval;
        return true;
    case SMC_B_DECIMAL:
        if (e->kind != SMC_EX_INT && e->kind != SMC_EX_FLOAT)
            return mismatch(ck, e, t, NULL);
        smc_literal_text(ck, e, &text, &n);
        if (sm_decimal_parse(text, n, t->precision, t->scale, &out->i) != SM_OK) {
            smc_error(ck->ctx, e->span, SMC_E_DEFAULT, "%.*s does not fit '%s'", (int)n, text,
                      smc_type_name(ck->ctx, t));
            return false;
        }
        return true;
    case SMC_B_TEXT:
    case SMC_B_BYTES:
        if (e->kind != SMC_EX_STRING)
            return mismatch(ck, e, t, NULL);
        out->s = e->sval;
        out->slen = e->slen;
        return true;
    case SMC_B_JSON:
        if (e->kind != SMC_EX_STRING)
            return mismatch(ck, e, t, NULL);
        if (!json_text_ok(e->sval, e->slen)) {
            smc_error(ck->ctx, e->span, SMC_E_DEFAULT, "the default of a json field must be valid JSON text");
            return false;
        }
        out->s = e->sval;
        out->slen = e->slen;
        return true;
    case SMC_B_DATE:
    case SMC_B_TIME:
    case SMC_B_DATETIME:
    case SMC_B_UUID: {
        if (e->kind != SMC_EX_STRING)
            return mismatch(ck, e, t, NULL);
        int rc;
        if (t->base == SMC_B_DATE) {
            sm_date v;
            rc = sm_date_parse(e->sval, e->slen, &v);
            out->i = v;
        } else if (t->base == SMC_B_TIME) {
            rc = sm_time_parse(e->sval, e->slen, &out->i);
        } else if (t->base == SMC_B_DATETIME) {
            rc = sm_datetime_parse(e->sval, e->slen, &out->i);
        } else {
            sm_uuid u;
            rc = sm_uuid_parse(e->sval, e->slen, &u);
            memcpy(out->uuid, u.b, 16);
            out->s = e->sval;
            out->slen = e->slen;
        }
        if (rc != SM_OK) {
            smc_error(ck->ctx, e->span, SMC_E_DEFAULT, "\"%s\" is not a valid %s", e->sval,
                      smc_type_name(ck->ctx, t));
            return false;
        }
        return true;
    }
    case SMC_B_ENUM: {
        if (e->kind == SMC_EX_NAME && e->qual.s && strcmp(e->qual.s, t->decl->name.s) != 0) {
            smc_decl *other = smc_lookup(ck, e->qual.s);
            if (other && other->kind == SMC_D_ENUM)
                smc_error(ck->ctx, e->span, SMC_E_DEFAULT,
                          "'%s.%s' is a member of '%s', but the field is '%s'", e->qual.s,
                          e->name.s, e->qual.s, smc_type_name(ck->ctx, t));
            else
                smc_unknown(ck, e->qual.span, SMC_E_UNKNOWN_NAME, "enum", e->qual.s,
                            1u << SMC_D_ENUM, false);
            return false;
        }
        if (e->kind != SMC_EX_NAME)
            return mismatch(ck, e, t, NULL);
        int k = smc_enum_member(t->decl, e->name.s);
        if (k < 0) {
            smc_diag *d = smc_error(ck->ctx, e->name.span, SMC_E_UNKNOWN_MEMBER,
                                    "enum '%s' has no member '%s'", t->decl->name.s, e->name.s);
            if (!d->hidden) { /* candidates only for a diagnostic shown */
                const char **names = smc_alloc(ck->ctx, (t->decl->nmembers + 1) * sizeof *names);
                for (smc_member *m = t->decl->members; m; m = m->next)
                    names[m->index] = m->name.s;
                smc_suggest(ck->ctx, d, e->name.s, names, t->decl->nmembers);
            }
            return false;
        }
        out->i = k;
        smc_index_ref(ck, e->qual.span, SMC_REF_DECL, e->qual.s ? t->decl : NULL, 0);
        smc_index_ref(ck, e->name.span, SMC_REF_MEMBER, t->decl, (uint32_t)k);
        return true;
    }
    default:
        return mismatch(ck, e, t, NULL);
    }
}
