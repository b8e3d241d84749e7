#include "eval/confusion.h"

#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>

void confusion_init(confusion *c) { *c = (confusion){0}; }

void confusion_free(confusion *c)
{
    for (size_t i = 0; i < c->k; i++)
        free(c->names[i]);
    free(c->names);
    free(c->counts);
    *c = (confusion){0};
}

static long find_class(const confusion *c, const char *name)
{
    for (size_t i = 0; i < c->k; i++)
        if (strcmp(c->names[i], name) == 0)
            return (long)i;
    return -1;
}

long confusion_class(confusion *c, const char *name)
{
    long i = find_class(c, name);
    if (i >= 0)
        return i;
    if (c->k >= CONFUSION_MAX_CLASSES)
        return -1;
    size_t k = c->k + 1;
    size_t *counts = cli_xcalloc(k * k, sizeof *counts);
    for (size_t r = 0; r < c->k; r++)
        memcpy(counts + r * k, c->counts + r * c->k, c->k * sizeof *counts);
    free(c->counts);
    c->counts = counts;
    c->names = cli_xrealloc(c->names, k * sizeof *c->names);
    c->names[c->k] = cli_xstrdup(name);
    c->k = k;
    return (long)(k - 1);
}

int confusion_add(confusion *c, const char *truth, const char *pred)
{
    long t = confusion_class(c, truth);
    long p = t < 0 ? -1 : confusion_class(c, pred);
    if (p < 0)
        return -1;
    c->counts[(size_t)t * c->k + (size_t)p]++;
    c->total++;
    return 0;
}

size_t confusion_row_total(const confusion *c, size_t r)
{
    size_t s = 0;
    for (size_t j = 0; j < c->k; j++)
        s += c->counts[r * c->k + j];
    return s;
}
