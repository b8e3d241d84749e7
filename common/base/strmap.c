#include "base/strmap.h"

#include "base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->names[i]);
    free(m->names);
    free(m->counts);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static size_t *find_slot(const strmap *m, const char *s)
{
    size_t mask = m->nslots - 1;
    for (size_t i = hash(s) & mask;; i = (i + 1) & mask)
        if (m->slots[i] == 0 || strcmp(m->names[m->slots[i] - 1], s) == 0)
            return &m->slots[i];
}

static void grow_table(strmap *m)
{
    free(m->slots);
    m->nslots = cli_grown(m->nslots, 64);
    m->slots = cli_xcalloc(m->nslots, sizeof *m->slots);
    for (size_t id = 0; id < m->n; id++)
        *find_slot(m, m->names[id]) = id + 1;
}

size_t strmap_find(const strmap *m, const char *s)
{
    if (!m->nslots)
        return STRMAP_NONE;
    size_t slot = *find_slot(m, s);
    return slot ? slot - 1 : STRMAP_NONE;
}

size_t strmap_add(strmap *m, const char *s)
{
    if ((m->n + 1) * 2 > m->nslots)
        grow_table(m);
    size_t *slot = find_slot(m, s);
    if (*slot) {
        m->counts[*slot - 1]++;
        return *slot - 1;
    }
    if (m->n == m->cap) {
        m->cap = cli_grown(m->cap, 16);
        m->names = cli_xreallocarray(m->names, m->cap, sizeof *m->names);
        m->counts = cli_xreallocarray(m->counts, m->cap, sizeof *m->counts);
    }
    m->names[m->n] = cli_xstrdup(s);
    m->counts[m->n] = 1;
    *slot = ++m->n;
    return m->n - 1;
}

static const strmap *sorting; /* qsort has no context argument in C11 */

static int by_name(const void *a, const void *b)
{
    return strcmp(sorting->names[*(const size_t *)a], sorting->names[*(const size_t *)b]);
}

size_t *strmap_sorted_ids(const strmap *m)
{
    size_t *ids = cli_xmalloc((m->n ? m->n : 1) * sizeof *ids);
    for (size_t i = 0; i < m->n; i++)
        ids[i] = i;
    sorting = m;
    qsort(ids, m->n, sizeof *ids, by_name);
    sorting = NULL;
    return ids;
}

size_t *strmap_ranks(const strmap *m)
{
    size_t *sorted = strmap_sorted_ids(m);
    size_t *rank = cli_xmalloc((m->n ? m->n : 1) * sizeof *rank);
    for (size_t k = 0; k < m->n; k++)
        rank[sorted[k]] = k;
    free(sorted);
    return rank;
}
