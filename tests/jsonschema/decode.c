/*
 * decode.c: the generated `_from_json` of alltypes.smdl's models as a
 * filter, for holding `smc jsonschema` to what the code accepts
 * (check.py).  Each input line is "Model<TAB>document"; each output line
 * is "ok<TAB>" and the `_to_json` of what was decoded, or "invalid<TAB>"
 * and the first error's code and path.
 */
#include "alltypes.h"

#include <stdio.h>
#include <string.h>

/* Decodes with T's _from_json, then encodes what it got. */
#define CODEC(T, snake)                                                                       \
    static int snake##_codec(const char *j, size_t n, sm_buf *out, sm_arena *a, sm_errors *e) \
    {                                                                                         \
        T v;                                                                                  \
        int rc = snake##_from_json(j, n, &v, a, e);                                           \
        return rc == SM_OK ? snake##_to_json(&v, out) : rc;                                   \
    }
CODEC(Everything, everything)
CODEC(Account, account)
CODEC(Plan, plan)
CODEC(Customer, customer)
CODEC(AccountPatch, account_patch)

static const struct {
    const char *name;
    int (*codec)(const char *, size_t, sm_buf *, sm_arena *, sm_errors *);
} models[] = {
    {"Everything", everything_codec}, {"Account", account_codec},
    {"Plan", plan_codec},             {"Customer", customer_codec},
    {"AccountPatch", account_patch_codec},
};

int main(void)
{
    char line[65536];
    int status = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\n");
        line[n] = 0;
        char *tab = strchr(line, '\t');
        size_t k = 0, nmodels = sizeof models / sizeof models[0];
        if (tab) {
            *tab = 0;
            while (k < nmodels && strcmp(models[k].name, line) != 0)
                k++;
        }
        if (!tab || k == nmodels) {
            fprintf(stderr, "decode: bad line or unknown model '%s'\n", line);
            status = 2;
            continue;
        }
        sm_arena arena = SM_ARENA_INIT;
        sm_errors errs = SM_ERRORS_INIT;
        sm_buf out = SM_BUF_INIT;
        const char *doc = tab + 1;
        int rc = models[k].codec(doc, strlen(doc), &out, &arena, &errs);
        if (rc == SM_OK)
            printf("ok\t%s\n", out.data);
        else if (rc == SM_INVALID && errs.len)
            printf("invalid\t%s %s\n", errs.items[0].code, errs.items[0].path);
        else
            printf("error\t%s\n", sm_strerror(rc));
        sm_buf_free(&out);
        sm_errors_free(&errs);
        sm_arena_free(&arena);
    }
    return status;
}
