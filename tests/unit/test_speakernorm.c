/* Per-speaker normalisation statistics (norm/speakernorm.h) against hand computations. */
#include "norm/speakernorm.h"
#include "unit.h"

#include <math.h>

/* One column: speaker A has 1, 3; speaker B has 10, 20, 30.
 * By hand: A n=2 mean 2 var 1; B n=3 mean 20 var 200/3; all n=5 mean 12.8,
 * var (1+9+100+400+900)/5 - 12.8^2 = 118.16. */
static void fill(norm_stats *s, double prior)
{
    static const float a[] = {1, 3}, b[] = {10, 20, 30};
    norm_stats_init(s, prior);
    norm_stats_add(s, "A", &a[0], 1, 1);
    norm_stats_add(s, "B", &b[0], 1, 1);
    norm_stats_add(s, "A", &a[1], 1, 1);
    norm_stats_add(s, "B", &b[1], 2, 1); /* a record of two rows: 20, 30 */
    norm_stats_finish(s);
}

int main(void)
{
    norm_stats s;
    fill(&s, 0);
    CHECK(s.speakers.n == 2, "two speakers");
    CHECK(s.clips[0] == 2 && s.clips[1] == 2, "records per speaker (a two-row record is one clip)");
    CHECK_NEAR(s.global.n, 5, 0, "global count of rows");
    CHECK_NEAR(s.global.mean[0], 12.8, 1e-12, "global mean, merged from the speakers");
    CHECK_NEAR(norm_moments_var(&s.global, 0), 118.16, 1e-9, "global population variance");
    CHECK_NEAR(s.mean[0][0], 2, 1e-12, "prior 0: speaker A's own mean");
    CHECK_NEAR(s.sd[0][0], 1, 1e-12, "prior 0: speaker A's own sd");
    CHECK_NEAR(s.sd[1][0], sqrt(200.0 / 3), 1e-9, "prior 0: speaker B's own sd");
    float x[] = {3, 1};
    norm_stats_apply(&s, "A", x, 2, 1);
    CHECK_NEAR(x[0], 1, 1e-6, "prior 0: 3 of A becomes (3-2)/1");
    CHECK_NEAR(x[1], -1, 1e-6, "prior 0: 1 of A becomes (1-2)/1");
    CHECK(norm_stats_apply(&s, "C", x, 1, 1) == -1, "an unseen speaker is refused");
    CHECK(norm_stats_apply(&s, "A", x, 1, 2) == -1, "another width is refused");
    norm_stats_free(&s);

    /* Prior 2, speaker A: m' = (2*2 + 2*12.8)/4 = 7.4;
     * v' = (2*(1 + (2-7.4)^2) + 2*(118.16 + (12.8-7.4)^2)) / 4 = 354.96/4 = 88.74. */
    fill(&s, 2);
    CHECK_NEAR(s.mean[0][0], 7.4, 1e-12, "prior 2: A's mean shrunk toward the global mean");
    CHECK_NEAR(s.sd[0][0], sqrt(88.74), 1e-9, "prior 2: A's sd shrunk toward the global sd");
    /* B: m' = (3*20 + 2*12.8)/5 = 17.12;
     * v' = (3*(200/3 + 2.88^2) + 2*(118.16 + 4.32^2)) / 5 = (224.8832 + 273.6448)/5 = 99.7056. */
    CHECK_NEAR(s.mean[1][0], 17.12, 1e-12, "prior 2: B's mean");
    CHECK_NEAR(s.sd[1][0], sqrt(99.7056), 1e-9, "prior 2: B's sd");
    x[0] = 7.4f + 2 * (float)sqrt(88.74);
    norm_stats_apply(&s, "A", x, 1, 1);
    CHECK_NEAR(x[0], 2, 1e-5, "prior 2: two shrunk sds above A's shrunk mean is 2");
    norm_stats_free(&s);

    /* A huge prior gives the global z-score. */
    fill(&s, 1e12);
    CHECK_NEAR(s.mean[0][0], 12.8, 1e-9, "prior 1e12: the global mean");
    CHECK_NEAR(s.sd[1][0], sqrt(118.16), 1e-6, "prior 1e12: the global sd");
    norm_stats_free(&s);

    /* One clip, prior 0: variance 0, so the divisor is 1 and the value becomes 0. */
    norm_stats_init(&s, 0);
    const float one[] = {5, -1};
    norm_stats_add(&s, "solo", one, 1, 2);
    norm_stats_finish(&s);
    CHECK_NEAR(s.sd[0][0], 1, 0, "a zero sd is replaced by 1");
    float y[] = {5, -1};
    norm_stats_apply(&s, "solo", y, 1, 2);
    CHECK(y[0] == 0 && y[1] == 0, "a one-clip speaker with prior 0 becomes all zeros");
    CHECK(norm_stats_add(&s, "solo", one, 1, 3) == -1, "a record of another width is refused");
    norm_stats_free(&s);

    /* Welford's update and the pairwise merge agree with the two-pass formulas. */
    norm_moments a, b;
    norm_moments_init(&a, 1);
    norm_moments_init(&b, 1);
    const float v[] = {1e6 + 1, 1e6 + 3, 1e6 + 10, 1e6 + 20, 1e6 + 30};
    for (int i = 0; i < 2; ++i)
        norm_moments_add(&a, &v[i]);
    for (int i = 2; i < 5; ++i)
        norm_moments_add(&b, &v[i]);
    norm_moments_merge(&a, &b);
    CHECK_NEAR(a.mean[0], 1e6 + 12.8, 1e-6, "merged mean with a large offset");
    CHECK_NEAR(norm_moments_var(&a, 0), 118.16, 1e-6, "merged variance with a large offset");
    norm_moments_free(&a);
    norm_moments_free(&b);
    return unit_done();
}
