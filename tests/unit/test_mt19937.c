/* sentio's MT19937 against numpy's legacy RandomState.
 * The reference values were printed here by numpy 1.24.2 (Debian's
 * python3-numpy), e.g.
 *   r = np.random.RandomState(0); r.random_sample(5)
 *   np.random.RandomState(0).randint(0, 2**32, size=3, dtype=np.uint32)
 *   np.random.RandomState(0).permutation(10)
 * (randint over the whole uint32 range returns the raw 32-bit outputs). */
#include "base/mt19937.h"
#include "unit.h"

#include <stdlib.h>

static void test_raw_outputs(void)
{
    mt19937 mt;
    mt19937_seed(&mt, 0);
    const uint32_t seed0[] = {2357136044u, 2546248239u, 3071714933u};
    int same = 1;
    for (int i = 0; i < 3; i++)
        same &= mt19937_next(&mt) == seed0[i];
    CHECK(same, "seed 0 (which GSL would replace by 4357): numpy's first three outputs");

    mt19937_seed(&mt, 4294967295u);
    CHECK(mt19937_next(&mt) == 419326371u && mt19937_next(&mt) == 479346978u,
          "seed 2^32-1: numpy's first two outputs");

    /* Outputs 623, 624 and 1249 (0-based) straddle the first and second regeneration. */
    mt19937_seed(&mt, 1);
    uint32_t v[1250];
    for (int i = 0; i < 1250; i++)
        v[i] = mt19937_next(&mt);
    CHECK(v[0] == 1791095845u, "seed 1: output 0");
    CHECK(v[623] == 2006116153u, "seed 1: output 623, the last of the first state");
    CHECK(v[624] == 1104314680u, "seed 1: output 624, the first after regeneration");
    CHECK(v[1249] == 3879348080u, "seed 1: output 1249, inside the third state");
}

static void test_random_sample(void)
{
    const double want[] = {0.5488135039273248, 0.7151893663724195, 0.6027633760716439,
                           0.5448831829968969, 0.4236547993389047};
    mt19937 mt;
    mt19937_seed(&mt, 0);
    for (int i = 0; i < 5; i++) {
        char what[64];
        snprintf(what, sizeof what, "RandomState(0).random_sample(5)[%d]", i);
        CHECK(mt19937_random_sample(&mt) == want[i], what);
    }
}

static int same_perm(const size_t *got, const size_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            return 0;
    return 1;
}

static void test_permutation(void)
{
    size_t p[1000];
    mt19937_permutation(0, 10, p);
    CHECK(same_perm(p, (const size_t[]){2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, 10),
          "RandomState(0).permutation(10)");
    mt19937_permutation(42, 10, p);
    CHECK(same_perm(p, (const size_t[]){8, 1, 5, 0, 7, 2, 9, 4, 3, 6}, 10),
          "RandomState(42).permutation(10)");
    /* n = 1000 makes masks of several widths and rejections. */
    mt19937_permutation(7, 1000, p);
    CHECK(same_perm(p, (const size_t[]){778, 334, 271, 802, 216, 408, 812, 94}, 8) &&
              same_perm(p + 996, (const size_t[]){502, 537, 196, 175}, 4),
          "RandomState(7).permutation(1000): first eight and last four");
    mt19937_permutation(3, 1, p);
    CHECK(p[0] == 0, "a permutation of one item");
}

static void test_interval(void)
{
    mt19937 mt;
    mt19937_seed(&mt, 5);
    int in_range = 1;
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++) {
        uint32_t v = mt19937_interval(&mt, 6);
        in_range &= v <= 6;
        if (v <= 6)
            seen[v]++;
    }
    CHECK(in_range, "interval(6) stays in 0..6");
    int all = 1;
    for (int k = 0; k < 7; k++)
        all &= seen[k] > 800 && seen[k] < 1200;
    CHECK(all, "interval(6) draws every value about 1000 times in 7000");
    CHECK(mt19937_interval(&mt, 0) == 0, "interval(0) is 0");
}

int main(void)
{
    test_raw_outputs();
    test_random_sample();
    test_permutation();
    test_interval();
    return unit_done();
}
