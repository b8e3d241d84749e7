#include "base/xalloc.h"

#include "base/cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void out_of_memory(size_t n)
{
    cli_fail(NULL, "out of memory (asked for %zu bytes)", n);
}

void *cli_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *cli_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *cli_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

void *cli_xreallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        cli_fail(NULL, "out of memory (asked for %zu x %zu bytes)", count, size);
    return cli_xrealloc(p, count * size);
}

size_t cli_grown(size_t cap, size_t first)
{
    if (cap == 0)
        return first;
    if (cap > SIZE_MAX / 2)
        cli_fail(NULL, "out of memory (an array of %zu elements cannot grow)", cap);
    return 2 * cap;
}

char *cli_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cli_xmalloc(n);
    memcpy(d, s, n);
    return d;
}
