/*
 * arena.c: the block allocator that holds the results of generated
 * functions (strings, lists, loaded relationships).
 *
 * Blocks are linked newest first.  The first block has block_size bytes
 * (8 KiB when 0); every later block doubles, up to 1 MiB, so a list of N
 * rows costs O(log N) mallocs, not one per field.  A request larger than
 * the next block gets a block of its own, linked behind the current block
 * so the free space of the current block is not lost.  Every pointer
 * handed out is 16-byte aligned, whatever malloc's own alignment is.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16u
#define ARENA_DEFAULT_BLOCK ((size_t)8 * 1024)
#define ARENA_MAX_BLOCK ((size_t)1024 * 1024)
#define ARENA_MAX_KEPT ((size_t)64 * 1024 * 1024) /* sm_arena_reset keeps at most this */

struct sm_arena_block {
    struct sm_arena_block *prev; /* older block, or NULL */
    unsigned char *cur;          /* next free byte, always aligned */
    unsigned char *end;          /* one past the usable bytes */
    void *own;                   /* memory taken over by sm_arena_take, or NULL */
};

/* n rounded up to the alignment; false when that overflows. */
static bool round_up(size_t n, size_t *out)
{
    if (n > SIZE_MAX - (ARENA_ALIGN - 1))
        return false;
    *out = (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
    return true;
}

/* The capacity of the next regular block: block_size doubled once per
 * block already allocated, capped at 1 MiB (or at block_size itself when
 * the caller asked for more than 1 MiB). */
static size_t next_block_size(const sm_arena *a)
{
    size_t size = a->block_size ? a->block_size : ARENA_DEFAULT_BLOCK;
    size_t cap = size > ARENA_MAX_BLOCK ? size : ARENA_MAX_BLOCK;
    for (size_t i = 0; i < a->blocks && size < cap; i++)
        size = size > cap / 2 ? cap : size * 2;
    return size;
}

/* The first usable (aligned) byte of block b. */
static unsigned char *block_start(struct sm_arena_block *b)
{
    uintptr_t start = (uintptr_t)(b + 1);
    start = (start + (ARENA_ALIGN - 1)) & ~(uintptr_t)(ARENA_ALIGN - 1);
    return (unsigned char *)b + (start - (uintptr_t)b);
}

/* A block with `cap` usable bytes, aligned; NULL when out of memory or
 * when the total size would overflow. */
static struct sm_arena_block *block_new(size_t cap)
{
    size_t head = sizeof(struct sm_arena_block) + (ARENA_ALIGN - 1);
    if (cap > SIZE_MAX - head)
        return NULL;
    struct sm_arena_block *b = malloc(head + cap);
    if (!b)
        return NULL;
    b->prev = NULL;
    b->own = NULL;
    b->cur = block_start(b);
    b->end = b->cur + cap;
    return b;
}

void sm_arena_init(sm_arena *a, size_t block_size)
{
    if (!a)
        return;
    a->head = NULL;
    a->block_size = block_size;
    a->blocks = 0;
}

/* need bytes (aligned) from a new block. */
static void *alloc_block(sm_arena *a, size_t need)
{
    struct sm_arena_block *b = a->head;
    size_t size = next_block_size(a);
    if (need > size) {
        /* Its own block, exactly as large as the request. */
        struct sm_arena_block *big = block_new(need);
        if (!big)
            return NULL;
        if (b) {
            big->prev = b->prev;
            b->prev = big;
        } else {
            a->head = big;
        }
        a->blocks++;
        big->cur = big->end;
        return big->end - need;
    }
    struct sm_arena_block *nb = block_new(size);
    if (!nb)
        return NULL;
    nb->prev = b;
    a->head = nb;
    a->blocks++;
    void *p = nb->cur;
    nb->cur += need;
    return p;
}

/* need bytes (aligned), from the current block when they fit: the path
 * every field of every row takes. */
static inline void *alloc_aligned(sm_arena *a, size_t need)
{
    struct sm_arena_block *b = a->head;
    if (SM_LIKELY(b && (size_t)(b->end - b->cur) >= need)) {
        void *p = b->cur;
        b->cur += need;
        return p;
    }
    return alloc_block(a, need);
}

void *sm_arena_alloc(sm_arena *a, size_t n)
{
    size_t need;
    if (!a || n == 0 || !round_up(n, &need))
        return NULL;
    return alloc_aligned(a, need);
}

void *sm_arena_zalloc(sm_arena *a, size_t n)
{
    void *p = sm_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

/* n == 0 still returns a distinct non-NULL pointer, so an empty byte
 * string copied here is not mistaken for NULL (SQL NULL for sm_bytes). */
void *sm_arena_memdup(sm_arena *a, const void *p, size_t n)
{
    if (!p && n)
        return NULL;
    void *q = sm_arena_alloc(a, n ? n : 1);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

char *sm_arena_strndup(sm_arena *a, const char *s, size_t n)
{
    size_t need;
    if (SM_UNLIKELY((!s && n) || n == SIZE_MAX || !a || !round_up(n + 1, &need)))
        return NULL;
    char *q = alloc_aligned(a, need);
    if (SM_UNLIKELY(!q))
        return NULL;
    if (n)
        memcpy(q, s, n);
    q[n] = 0;
    return q;
}

/* Past this size a staged list is taken over rather than copied: the
 * copy would cost more than the malloc the buffer's next use needs. */
#define ARENA_TAKE_MIN ((size_t)64 * 1024)

void *sm_arena_take(sm_arena *a, sm_buf *buf, size_t n)
{
    if (!a || n < ARENA_TAKE_MIN || n > buf->len)
        return sm_arena_memdup(a, buf->data, n);
    struct sm_arena_block *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    char *mem = buf->data;
    buf->data = NULL;
    buf->len = buf->cap = 0;
    char *fit = realloc(mem, n); /* gives back the growth slack */
    b->own = fit ? fit : mem;
    b->cur = b->end = NULL;
    /* Behind the current block, like a request of its own block, so the
     * current block's free space stays in use. */
    if (a->head) {
        b->prev = a->head->prev;
        a->head->prev = b;
    } else {
        b->prev = NULL;
        a->head = b;
    }
    return b->own;
}

void sm_arena_free(sm_arena *a)
{
    if (!a)
        return;
    struct sm_arena_block *b = a->head;
    while (b) {
        struct sm_arena_block *prev = b->prev;
        free(b->own);
        free(b);
        b = prev;
    }
    a->head = NULL;
    a->blocks = 0;
}

void sm_arena_reset(sm_arena *a)
{
    if (!a || !a->head)
        return;
    if (!a->head->prev && !a->head->own) { /* one block: empty it */
        a->head->cur = block_start(a->head);
        return;
    }
    size_t total = 0;
    for (struct sm_arena_block *b = a->head; b; b = b->prev) {
        if (b->own)
            continue; /* taken over, not allocated from */
        size_t cap = (size_t)(b->end - block_start(b));
        total = cap > SIZE_MAX - total ? SIZE_MAX : total + cap;
    }
    sm_arena_free(a);
    /* One block that holds what the last round needed: the next round
     * allocates from it without a malloc.  Out of memory here is no
     * failure: the arena is just empty. */
    if (total && total <= ARENA_MAX_KEPT && (a->head = block_new(total)) != NULL)
        a->blocks = 1;
}
