/* Unit tests of power_to_db: accuracy against 10 log10 in double over the
 * whole range an MFCC meets (the 1e-10 floor up to 1e10), the floor, special
 * values, and that a value's result does not depend on its place in the array. */
#include "dsp/powerdb.h"
#include "unit.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

/* Worst relative and absolute error of power_to_db over x[0..n-1]. */
static void worst_error(const float *x, size_t n, double *rel, double *abs_db)
{
    float *y = malloc(n * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    power_to_db(y, n);
    *rel = *abs_db = 0;
    for (size_t i = 0; i < n; i++) {
        double exact = 10 * log10((double)x[i]), d = fabs(y[i] - exact);
        *abs_db = fmax(*abs_db, d);
        if (exact != 0)
            *rel = fmax(*rel, d / fabs(exact));
    }
    free(y);
}

static void test_accuracy(void)
{
    enum { N = 1 << 20 };
    float *x = malloc(N * sizeof *x);
    double rel, abs_db;
    /* Log-spaced from the floor to 1e10: every exponent the spectrum meets. */
    for (size_t i = 0; i < N; i++)
        x[i] = (float)(1e-10 * pow(10, 20.0 * i / (N - 1)));
    worst_error(x, N, &rel, &abs_db);
    if (!CHECK(rel < 2.5e-7 && abs_db < 2e-5, "1e-10..1e10: within 2.5e-7 relative, 2e-5 dB"))
        printf("#   worst relative %g, absolute %g dB\n", rel, abs_db);
    /* Every 16th float of [0.5, 2): the polynomial's whole range, both sides
     * of the sqrt(2) switch, and x near 1 where the result is near 0. */
    for (size_t i = 0; i < N; i++) {
        uint32_t bits = 0x3f000000u + 16 * (uint32_t)i;
        memcpy(&x[i], &bits, sizeof bits);
    }
    worst_error(x, N, &rel, &abs_db);
    if (!CHECK(rel < 2.5e-7 && abs_db < 1e-6,
               "every 16th float of [0.5, 2): within 2.5e-7 relative"))
        printf("#   worst relative %g, absolute %g dB\n", rel, abs_db);
    free(x);
}

static void test_special(void)
{
    float x[] = {1.0f, 10.0f, 100.0f, 1e-10f, 0.0f, -1.0f, 1e-30f, 1e-40f, NAN, INFINITY, FLT_MAX};
    power_to_db(x, sizeof x / sizeof *x);
    CHECK(x[0] == 0.0f, "1 is 0 dB exactly");
    CHECK_NEAR(x[1], 10.0, 2e-6, "10 is 10 dB");
    CHECK_NEAR(x[2], 20.0, 4e-6, "100 is 20 dB");
    CHECK_NEAR(x[3], -100.0, 2e-5, "the floor is -100 dB");
    CHECK(x[4] == x[3] && x[5] == x[3] && x[6] == x[3] && x[7] == x[3],
          "zero, negative, below the floor and subnormal: the floor");
    CHECK(x[8] == x[3], "NaN: the floor");
    CHECK_NEAR(x[9], 10 * 128 * log10(2.0), 1e-4, "+inf: 10 log10(2^128), finite");
    CHECK_NEAR(x[10], 10 * log10((double)FLT_MAX), 1e-4, "FLT_MAX");
}

/* The loops of eight and four and the tail must agree: a value's decibels are
 * the same bits wherever it sits in an array of any length. */
static void test_position(void)
{
    enum { N = 13 };
    const float v[N] = {3.7e-3f, 1.25f,  0.7071f, 9.9e8f, 2.2e-9f, 1.41421f, 55.0f,
                        0.5f,    7e-11f, 1e10f,   0.999f, 2.0f,    123.456f};
    float alone[N];
    for (int i = 0; i < N; i++) {
        alone[i] = v[i];
        power_to_db(&alone[i], 1);
    }
    int same = 1;
    for (size_t n = 1; n <= N; n++) {
        float y[N];
        memcpy(y, v, sizeof y);
        power_to_db(y, n);
        for (size_t i = 0; i < n; i++)
            same &= memcmp(&y[i], &alone[i], sizeof *y) == 0;
        for (size_t i = n; i < N; i++)
            same &= y[i] == v[i];
    }
    CHECK(same, "the same bits in every loop and the tail; nothing past n is touched");
}

/* librosa's top_db clip: the floor is max - top_db, nothing above it moves. */
static void test_clip_top(void)
{
    float x[5] = {-3.0f, -120.0f, 0.5f, -79.5f, -80.5f};
    db_clip_top(x, 5, 80.0);
    CHECK(x[0] == -3.0f && x[2] == 0.5f && x[3] == -79.5f,
          "values within top_db of the maximum stay");
    CHECK(x[1] == -79.5f && x[4] == -79.5f, "values below max - top_db become max - top_db");
    float one = -7.0f;
    db_clip_top(&one, 1, 0.0);
    CHECK(one == -7.0f, "one value is its own maximum");
    float y[2] = {1.0f, 0.0f};
    db_clip_top(y, 2, 1e-9);
    CHECK(y[1] == (float)(1.0 - 1e-9), "the floor is computed in double, rounded to float once");
}

static void test_amplitude_db(void)
{
    CHECK_NEAR(amplitude_to_db(10, 10, 80), 0.0, 1e-12, "the reference is 0 dB");
    CHECK_NEAR(amplitude_to_db(1, 10, 80), -20.0, 1e-12, "a tenth of the reference is -20 dB");
    CHECK_NEAR(amplitude_to_db(1e-4, 10, 80), -80.0, 1e-12, "below top_db is floored at -top_db");
    CHECK_NEAR(amplitude_to_db(0, 1, 0), -100.0, 1e-12, "amin 1e-5 bounds silence at -100 dB re 1");
}

int main(void)
{
    test_clip_top();
    test_amplitude_db();
    test_accuracy();
    test_special();
    test_position();
    return unit_done();
}
