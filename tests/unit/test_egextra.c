/* Unit tests of wav2egemaps --extra: the spectral shape of one frame and the new contour
 * statistics against hand computations, and the extra functionals of a hand-made clip whose
 * speech span, pauses, voicing, loudness peaks and F0 slope are known by construction. */
#include "dsp/eglld.h"
#include "dsp/specshape.h"
#include "dsp/voice.h"
#include "feat/egemaps.h"
#include "feat/egextra.h"
#include "feat/functionals.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static void test_shape_by_hand(void)
{
    double o[SPECSHAPE_NCOLS];
    /* Two equal bins at 100 and 200 Hz: p = 1/2, 1/2. */
    float two[4] = {0, 1, 1, 0};
    specshape_compute(two, 0, 3, 100, o);
    CHECK_NEAR(o[SPECSHAPE_CENTROID], 150, 1e-9, "centroid of two equal bins: their middle");
    CHECK_NEAR(o[SPECSHAPE_SPREAD], 50, 1e-9, "spread: half their distance");
    CHECK_NEAR(o[SPECSHAPE_SKEWNESS], 0, 1e-9, "symmetric: skewness 0");
    CHECK_NEAR(o[SPECSHAPE_KURTOSIS], 1, 1e-9, "two points: kurtosis 1");
    CHECK_NEAR(o[SPECSHAPE_ENTROPY], log(2) / log(4), 1e-9, "entropy ln 2 / ln 4 over 4 bins");
    CHECK_NEAR(o[SPECSHAPE_FLATNESS], 1e-7 / ((2 + 2e-14) / 4), 1e-15,
               "flatness: geometric mean of the floored bins over their mean");
    CHECK(o[SPECSHAPE_ROLLOFF25] == 100 && o[SPECSHAPE_ROLLOFF50] == 100 &&
              o[SPECSHAPE_ROLLOFF75] == 200 && o[SPECSHAPE_ROLLOFF90] == 200,
          "roll-offs: 25% and 50% reached at 100 Hz, 75% and 90% at 200 Hz");
    /* A Bernoulli spectrum, p = 1/4 at 0 Hz and 3/4 at 3 Hz: skewness (1 - 2q)/sqrt(pq) with q =
     * 3/4, kurtosis (1 - 3pq)/(pq). */
    float bern[4] = {1, 0, 0, 3};
    specshape_compute(bern, 0, 3, 1, o);
    CHECK_NEAR(o[SPECSHAPE_CENTROID], 2.25, 1e-9, "Bernoulli centroid 3 x 3/4");
    CHECK_NEAR(o[SPECSHAPE_SPREAD], 3 * sqrt(0.1875), 1e-9, "Bernoulli spread 3 sqrt(pq)");
    CHECK_NEAR(o[SPECSHAPE_SKEWNESS], -0.5 / sqrt(0.1875), 1e-9, "Bernoulli skewness");
    CHECK_NEAR(o[SPECSHAPE_KURTOSIS], 0.4375 / 0.1875, 1e-9, "Bernoulli kurtosis 7/3");
    CHECK(o[SPECSHAPE_ROLLOFF25] == 0 && o[SPECSHAPE_ROLLOFF50] == 3, "Bernoulli roll-offs");
    /* A flat spectrum: entropy and flatness 1; the band lo..hi only. */
    float flat[6] = {9, 2, 2, 2, 2, 9};
    specshape_compute(flat, 1, 4, 10, o);
    CHECK_NEAR(o[SPECSHAPE_ENTROPY], 1, 1e-9, "flat band: entropy 1");
    CHECK_NEAR(o[SPECSHAPE_FLATNESS], 1, 1e-9, "flat band: flatness 1");
    CHECK_NEAR(o[SPECSHAPE_CENTROID], 25, 1e-9, "bins outside lo..hi are not counted");
    float silent[4] = {0, 0, 0, 0};
    specshape_compute(silent, 0, 3, 1, o);
    int zeros = 1;
    for (int c = 0; c < SPECSHAPE_FLUX; c++)
        zeros &= o[c] == 0;
    CHECK(zeros, "a silent frame gives 0 everywhere");
    float a[2] = {1, 0}, b[2] = {0, 1}, a10[2] = {10, 0};
    CHECK_NEAR(specshape_flux(a, b, 0, 1), sqrt(2), 1e-12, "flux between disjoint spectra");
    CHECK_NEAR(specshape_flux(a, a10, 0, 1), 0, 1e-12, "flux ignores the level");
    CHECK(specshape_flux(a, silent, 0, 1) == 0, "flux against silence: 0");
}

static void test_shape_frames(void)
{
    const double sr = 16000;
    size_t n = 16000;
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(0.5 * sin(2 * PI * 1000 * i / sr));
    size_t frames = eglld_frames(n, sr);
    double *rows = malloc(frames * SPECSHAPE_NCOLS * sizeof *rows);
    specshape *s = specshape_new();
    char err[256];
    CHECK(specshape_frames(s, x, n, sr, rows, err, sizeof err) == 0, "frames of a tone");
    double *r = rows + 50 * SPECSHAPE_NCOLS;
    CHECK_NEAR(r[SPECSHAPE_CENTROID], 1000, 30, "a 1 kHz tone's centroid near 1 kHz");
    CHECK_NEAR(r[SPECSHAPE_ROLLOFF50], 1000, 60, "its median frequency too");
    CHECK(r[SPECSHAPE_FLATNESS] < 0.01, "a tone is not flat");
    CHECK(rows[SPECSHAPE_FLUX] == 0 && r[SPECSHAPE_FLUX] < 1e-3, "a steady tone has no flux");
    CHECK(specshape_frames(s, x, n, 500, rows, err, sizeof err) == -1 && strstr(err, "500 Hz"),
          "a rate below 1 kHz is refused");
    specshape_free(s);
    free(rows);
    free(x);
}

static void test_contour_stats(void)
{
    double t[4] = {0, 1, 2, 3}, line[4] = {1, 3, 5, 7}, y[4] = {1, 2, 2, 5};
    CHECK_NEAR(func_regression_slope(t, line, 4), 2, 1e-12, "slope of a line");
    CHECK_NEAR(func_regression_slope(t, y, 4), 6.0 / 5.0, 1e-12,
               "slope: sum (t - 1.5)(y - 2.5) / sum (t - 1.5)^2 = 6/5");
    CHECK(func_regression_slope(t, y, 1) == 0, "one point has no slope");
    double same[3] = {2, 2, 2};
    CHECK(func_regression_slope(same, y, 3) == 0, "equal times give slope 0");
    CHECK_NEAR(func_stddev(y, 4, 2.5), sqrt((2.25 + 0.25 + 0.25 + 6.25) / 4), 1e-12,
               "population standard deviation");
}

static void test_names(void)
{
    int total = 0, contiguous = 1;
    for (int g = 0; g < EGEXTRA_NGROUPS; g++) {
        contiguous &= egextra_group_first(g) == total;
        total += egextra_group_count(g);
    }
    CHECK(total == egextra_count() && contiguous, "the groups tile the extra columns in order");
    int unique = 1;
    for (int i = 0; i < egextra_count(); i++) {
        for (int j = 0; j < i; j++)
            unique &= strcmp(egextra_name(i), egextra_name(j)) != 0;
        for (int j = 0; j < EGEMAPS_NFUNC; j++)
            unique &= strcmp(egextra_name(i), egemaps_func_name(j)) != 0;
    }
    CHECK(unique, "extra names are unique and none is an eGeMAPS name");
    CHECK(egextra_name(-1) == NULL && egextra_name(egextra_count()) == NULL,
          "names outside the range are NULL");
}

/* A clip made by hand at 16 kHz, 100 frames: speech (active) on frames 10-29 and 50-69, a
 * 200 ms pause between; voiced on 12-27 and 52-67 with F0 rising 0.1 semitone per frame;
 * loudness a triangle peaking at frames 20 and 59. */
static void test_hand_clip(void)
{
    enum { N25 = 100 };
    const double sr = 16000;
    size_t n = 99 * 160 + 320;
    float *x = calloc(n, sizeof *x);
    static double raw[N25 * EGLLD_NCOLS], loud[N25];
    static float voice[N25 * VOICE_NLLD], f0[N25];
    for (int t = 0; t < N25; t++) {
        bool speech = (t >= 10 && t < 30) || (t >= 50 && t < 70);
        bool voiced = (t >= 12 && t < 28) || (t >= 52 && t < 68);
        raw[t * EGLLD_NCOLS + EGLLD_ENERGY] = speech ? 1e-2 : 0;
        int peak = t < 40 ? 20 : 59; /* mirror images about the span's middle */
        loud[t] = speech ? 1.0 - 0.05 * abs(t - peak) : 0;
        f0[t] = voiced ? 150.0f : 0;
        voice[t * VOICE_NLLD + VOICE_F0_SEMITONE] = voiced ? (float)(20 + 0.1 * t) : 0;
    }
    egextra_input in = {.x = x,
                        .n = n,
                        .sr = sr,
                        .n25 = N25,
                        .npitch = N25,
                        .raw = raw,
                        .loud = loud,
                        .voice = voice,
                        .f0_hz = f0};
    egextra *e = egextra_new();
    float *out = malloc((size_t)egextra_count() * sizeof *out);
    char err[256];
    CHECK(egextra_compute(e, &in, out, err, sizeof err) == 0, "the hand-made clip");
    const float *r = out + egextra_group_first(EGEXTRA_RHYTHM);
    CHECK_NEAR(r[0], 0.6, 1e-6, "speech span: frames 10..69, 0.6 s");
    CHECK_NEAR(r[1], 40.0 / 60, 1e-6, "active fraction 40 of 60 frames");
    CHECK_NEAR(r[2], 1 / 0.6, 1e-5, "one pause in 0.6 s");
    CHECK_NEAR(r[3], 0.2, 1e-6, "the pause lasts 200 ms");
    CHECK_NEAR(r[4], 20.0 / 60, 1e-6, "pause fraction 20 of 60 frames");
    CHECK_NEAR(r[5], 32.0 / 60, 1e-6, "voiced fraction 32 of 60 frames");
    CHECK_NEAR(r[6], 2 / 0.6, 1e-5, "two voiced segments in 0.6 s");
    CHECK_NEAR(r[7], 2 / 0.6, 1e-5, "two loudness peaks in 0.6 s");
    CHECK_NEAR(r[8], 0.39, 1e-6, "peaks 390 ms apart");
    CHECK(r[9] == 0 && r[10] == 0, "one interval: no variation, no PVI");
    const float *c = out + egextra_group_first(EGEXTRA_CONTOUR);
    CHECK_NEAR(c[4], 10, 1e-4, "F0 slope: 0.1 semitone per 10 ms frame = 10 per second");
    CHECK_NEAR(c[5], 10, 1e-4, "F0 frame-to-frame change 10 semitones per second");
    CHECK_NEAR(c[6], 0, 1e-4, "... always the same");
    CHECK(c[2] > 4 && c[2] < 5.5, "F0 5-95 range: most of the 4.6 semitones covered");
    CHECK_NEAR(c[7 + 4], 0, 1e-6, "loudness slope 0 over a span symmetric about its middle");
    int finite = 1;
    for (int i = 0; i < egextra_count(); i++)
        finite &= isfinite(out[i]);
    CHECK(finite, "every value finite");
    /* Digital silence: no active frame, no voiced frame. */
    memset(raw, 0, sizeof raw);
    memset(f0, 0, sizeof f0);
    memset(voice, 0, sizeof voice);
    memset(loud, 0, sizeof loud);
    CHECK(egextra_compute(e, &in, out, err, sizeof err) == 0, "a silent clip");
    int zeros = 1;
    for (int i = 0; i < egextra_count(); i++)
        zeros &= out[i] == 0;
    CHECK(zeros, "silence: every extra functional 0");
    free(out);
    egextra_free(e);
    free(x);
}

static void test_first_88_unchanged(void)
{
    const double sr = 16000;
    size_t n = 16000;
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(0.3 * sin(2 * PI * (150 + 50 * sin(2 * PI * i / sr)) * i / sr) *
                       (0.6 + 0.4 * sin(2 * PI * 3 * i / sr)));
    egemaps *g = egemaps_new();
    float plain[EGEMAPS_NFUNC], *both = malloc((EGEMAPS_NFUNC + (size_t)egextra_count()) * 4);
    char err[256];
    CHECK(egemaps_functionals_extra(g, x, n, sr, both, err, sizeof err) == 0 &&
              egemaps_functionals(g, x, n, sr, plain, err, sizeof err) == 0,
          "both extractions run");
    CHECK(memcmp(plain, both, sizeof plain) == 0, "the first 88 are eGeMAPS's, bit for bit");
    free(both);
    egemaps_free(g);
    free(x);
}

int main(void)
{
    test_shape_by_hand();
    test_shape_frames();
    test_contour_stats();
    test_names();
    test_hand_clip();
    test_first_88_unchanged();
    return unit_done();
}
