/* The string map: ids in order of first appearance, counts, lookups through
 * many rehashes, byte-order sorting and the class ranks built on it. */
#include "base/strmap.h"
#include "unit.h"

#include <stdlib.h>

static void test_basics(void)
{
    strmap m = {0};
    CHECK(strmap_find(&m, "x") == STRMAP_NONE, "an empty map finds nothing");
    CHECK(strmap_add(&m, "Positive") == 0 && strmap_add(&m, "Negative") == 1 &&
              strmap_add(&m, "Positive") == 0 && strmap_add(&m, "Neutral") == 2,
          "ids in order of first appearance, the same id for the same string");
    CHECK(m.n == 3 && m.counts[0] == 2 && m.counts[1] == 1 && m.counts[2] == 1,
          "three names, counted");
    CHECK(strmap_find(&m, "Neutral") == 2 && strmap_find(&m, "neutral") == STRMAP_NONE,
          "lookups are exact (case matters)");
    CHECK(strmap_add(&m, "") == 3 && strmap_find(&m, "") == 3, "the empty string is a name");

    size_t *sorted = strmap_sorted_ids(&m);
    CHECK(sorted[0] == 3 && sorted[1] == 1 && sorted[2] == 2 && sorted[3] == 0,
          "sorted ids: '', Negative, Neutral, Positive");
    free(sorted);
    size_t *rank = strmap_ranks(&m);
    CHECK(rank[0] == 3 && rank[1] == 1 && rank[2] == 2 && rank[3] == 0,
          "ranks: the class index of each id is its place in byte order");
    free(rank);
    strmap_free(&m);
}

static void test_byte_order(void)
{
    strmap m = {0};
    strmap_add(&m, "b");
    strmap_add(&m, "B");
    strmap_add(&m, "\xc3\xa9"); /* e-acute in UTF-8 sorts after ASCII */
    strmap_add(&m, "a");
    size_t *rank = strmap_ranks(&m);
    CHECK(rank[1] == 0 && rank[3] == 1 && rank[0] == 2 && rank[2] == 3,
          "byte order, not the locale's: B < a < b < UTF-8");
    free(rank);
    strmap_free(&m);
}

static void test_many(void)
{
    strmap m = {0};
    char name[32];
    enum { N = 20000 };
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "clip_%05d", (i * 7919) % N);
        strmap_add(&m, name);
    }
    for (int i = 0; i < N; i += 2) {
        snprintf(name, sizeof name, "clip_%05d", i);
        strmap_add(&m, name);
    }
    int ok = m.n == N;
    for (int i = 0; i < N && ok; i++) {
        snprintf(name, sizeof name, "clip_%05d", (i * 7919) % N);
        size_t id = strmap_find(&m, name);
        ok = id == (size_t)i && m.counts[id] == (size_t)(((i * 7919) % N) % 2 == 0 ? 2 : 1);
    }
    CHECK(ok, "20000 names through every rehash: ids and counts kept");
    size_t *rank = strmap_ranks(&m);
    ok = 1;
    for (int i = 0; i < N && ok; i++)
        ok = rank[i] == (size_t)((i * 7919) % N); /* zero-padded: byte order is numeric order */
    CHECK(ok, "ranks of 20000 names");
    free(rank);
    strmap_free(&m);
    strmap empty = {0};
    rank = strmap_ranks(&empty);
    CHECK(rank != NULL, "ranks of an empty map: an array to free");
    free(rank);
}

int main(void)
{
    test_basics();
    test_byte_order();
    test_many();
    return unit_done();
}
