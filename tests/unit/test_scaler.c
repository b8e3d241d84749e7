/* Standardisation as scikit-learn's StandardScaler: population deviation (ddof 0),
 * 1 for a constant column. Reference values worked by hand. */
#include "nn/scaler.h"
#include "unit.h"

static void test_fit_apply(void)
{
    /* Columns: 1 2 3 4 (mean 2.5, var 1.25), constant 7, -1 1 -1 1 (mean 0, std 1). */
    float x[4 * 3] = {1, 7, -1, 2, 7, 1, 3, 7, -1, 4, 7, 1};
    float mean[3], std[3];
    scaler_fit(x, 4, 3, mean, std);
    CHECK_NEAR(mean[0], 2.5, 1e-7, "mean of 1..4");
    CHECK_NEAR(std[0], sqrt(1.25), 1e-6, "population std of 1..4 is sqrt(1.25), not sqrt(5/3)");
    CHECK(mean[1] == 7.0f && std[1] == 1.0f,
          "a constant column: its mean, and std 1 in place of 0");
    CHECK(mean[2] == 0.0f && std[2] == 1.0f, "mean 0 and std 1 of +-1");
    scaler_apply(mean, std, x, 4, 3);
    CHECK_NEAR(x[0], -1.5 / sqrt(1.25), 1e-6, "(1 - 2.5) / sqrt(1.25)");
    CHECK_NEAR(x[9], 1.5 / sqrt(1.25), 1e-6, "(4 - 2.5) / sqrt(1.25)");
    CHECK(x[1] == 0.0f && x[4] == 0.0f, "a constant column becomes 0");
    CHECK(x[2] == -1.0f && x[5] == 1.0f, "an already standard column is unchanged");
    float mean2[3], std2[3];
    scaler_fit(x, 4, 3, mean2, std2);
    CHECK(fabs(mean2[0]) < 1e-6 && fabs(std2[0] - 1) < 1e-6, "after apply: mean 0 and std 1");
}

static void test_precision(void)
{
    /* Large offset, small spread: a float accumulator would lose the spread. */
    enum { N = 1000 };
    float x[N], mean, std;
    for (int i = 0; i < N; i++)
        x[i] = 10000.0f + (i % 2 ? 0.5f : -0.5f);
    scaler_fit(x, N, 1, &mean, &std);
    CHECK_NEAR(mean, 10000.0, 1e-3, "mean of 10000 +- 0.5");
    CHECK_NEAR(std, 0.5, 1e-4, "std 0.5 around 10000 (sums in double)");
    float one = 3.0f, m1, s1;
    scaler_fit(&one, 1, 1, &m1, &s1);
    CHECK(m1 == 3.0f && s1 == 1.0f, "one row: its value and std 1");
}

int main(void)
{
    test_fit_apply();
    test_precision();
    return unit_done();
}
