#include "eval/confusion.h"

#include "base/xalloc.h"

#include <stdbool.h>
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

/* Grows the matrix to k classes (k >= c->k), keeping the counts. */
static void grow(confusion *c, size_t k)
{
    size_t *counts = cli_xcalloc(k * k, sizeof *counts);
    for (size_t r = 0; r < c->k; r++)
        memcpy(counts + r * k, c->counts + r * c->k, c->k * sizeof *counts);
    free(c->counts);
    c->counts = counts;
    c->names = cli_xrealloc(c->names, k * sizeof *c->names);
}

long confusion_class(confusion *c, const char *name)
{
    long i = find_class(c, name);
    if (i >= 0)
        return i;
    if (c->k >= CONFUSION_MAX_CLASSES)
        return -1;
    grow(c, c->k + 1);
    c->names[c->k] = cli_xstrdup(name);
    return (long)c->k++;
}

int confusion_classes(confusion *c, size_t n, char *const *names)
{
    size_t k = c->k;
    char **fresh = cli_xcalloc(n ? n : 1, sizeof *fresh);
    for (size_t i = 0; i < n; i++) {
        bool seen = find_class(c, names[i]) >= 0;
        for (size_t j = 0; j < k - c->k && !seen; j++)
            seen = strcmp(fresh[j], names[i]) == 0;
        if (!seen)
            fresh[k++ - c->k] = names[i];
    }
    if (k > CONFUSION_MAX_CLASSES) {
        free(fresh);
        return -1;
    }
    if (k > c->k) {
        size_t old = c->k;
        grow(c, k);
        for (size_t i = old; i < k; i++)
            c->names[i] = cli_xstrdup(fresh[i - old]);
        c->k = k;
    }
    free(fresh);
    return 0;
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
