/* Unit tests of wav2egemaps --extra: the extra functionals of a hand-made clip whose speech
 * span, pauses, voicing and loudness peaks are known by construction, the formants of a
 * synthetic vowel, and the first 88 left as eGeMAPS computes them. */
#include "dsp/eglld.h"
#include "dsp/voice.h"
#include "feat/egemaps.h"
#include "feat/egextra.h"
#include "feat/functionals.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static void test_stddev(void)
{
    double y[4] = {1, 2, 2, 5};
    CHECK_NEAR(func_stddev(y, 4, 2.5), sqrt((2.25 + 0.25 + 0.25 + 6.25) / 4), 1e-12,
               "population standard deviation");
    CHECK(func_stddev(y, 1, 1) == 0, "one value: no deviation");
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

/* An extraction's leftovers made by hand: n25 rows of every kind, all of them pitch rows. */
static egextra_input hand_input(const float *x, size_t n, double sr, size_t n25, const double *raw,
                                const double *loud, const float *voice, const float *f0)
{
    return (egextra_input){.x = x,
                           .n = n,
                           .sr = sr,
                           .n25 = n25,
                           .npitch = n25,
                           .raw = raw,
                           .loud = loud,
                           .voice = voice,
                           .f0_hz = f0};
}

/* A clip made by hand at 16 kHz, 100 frames: speech (active) on frames 10-29 and 50-69, a
 * 200 ms pause between; voiced on 12-27 and 52-67; loudness a triangle peaking at frames 20
 * and 59. */
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
        int peak = t < 40 ? 20 : 59;
        loud[t] = speech ? 1.0 - 0.05 * abs(t - peak) : 0;
        f0[t] = voiced ? 150.0f : 0;
        voice[t * VOICE_NLLD + VOICE_F0_SEMITONE] = voiced ? (float)(20 + 0.1 * t) : 0;
    }
    egextra_input in = hand_input(x, n, sr, N25, raw, loud, voice, f0);
    egextra *e = egextra_new();
    float *out = malloc((size_t)egextra_count() * sizeof *out);
    egextra_compute(e, &in, out);
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
    int finite = 1;
    for (int i = 0; i < egextra_count(); i++)
        finite &= isfinite(out[i]);
    CHECK(finite, "every value finite");
    /* Digital silence: no active frame, no voiced frame. */
    memset(raw, 0, sizeof raw);
    memset(f0, 0, sizeof f0);
    memset(voice, 0, sizeof voice);
    memset(loud, 0, sizeof loud);
    egextra_compute(e, &in, out);
    int zeros = 1;
    for (int i = 0; i < egextra_count(); i++)
        zeros &= out[i] == 0;
    CHECK(zeros, "silence: every extra functional 0");
    free(out);
    egextra_free(e);
    free(x);
}

/* A vowel made by hand: a 120 Hz pulse train through resonators at 700, 1220 and 2600 Hz. The
 * formant columns are the LPC model's poles, so they find the resonators. */
static void test_vowel_formants(void)
{
    enum { N25 = 99 };
    const double sr = 16000, fr[3] = {700, 1220, 2600}, bw[3] = {80, 90, 120};
    size_t n = (N25 - 1) * 160 + 320 + 960;
    float *x = calloc(n, sizeof *x);
    for (size_t i = 0; i < n; i += (size_t)(sr / 120))
        x[i] = 1;
    for (int k = 0; k < 3; k++) {
        double r = exp(-PI * bw[k] / sr), c = 2 * r * cos(2 * PI * fr[k] / sr), y1 = 0, y2 = 0;
        for (size_t i = 0; i < n; i++) {
            double y = x[i] + c * y1 - r * r * y2;
            y2 = y1;
            y1 = y;
            x[i] = (float)(y * 0.01);
        }
    }
    static double raw[N25 * EGLLD_NCOLS], loud[N25];
    static float voice[N25 * VOICE_NLLD], f0[N25];
    for (int t = 0; t < N25; t++) {
        raw[t * EGLLD_NCOLS + EGLLD_ENERGY] = 1e-2;
        loud[t] = 1;
        f0[t] = 120;
        voice[t * VOICE_NLLD + VOICE_F0_SEMITONE] = 25;
    }
    egextra_input in = hand_input(x, n, sr, N25, raw, loud, voice, f0);
    egextra *e = egextra_new();
    float *out = malloc((size_t)egextra_count() * sizeof *out);
    egextra_compute(e, &in, out);
    const float *f = out + egextra_group_first(EGEXTRA_FORMANT);
    CHECK_NEAR(f[1], 700, 35, "F1 pole median at the first resonator");
    CHECK_NEAR(f[5], 1220, 60, "F2 pole median at the second");
    CHECK_NEAR(f[9], 2600, 130, "F3 pole median at the third");
    CHECK(f[3] < 50 && f[7] < 50, "a steady vowel: F1 and F2 barely move");
    CHECK_NEAR(f[14], f[5] / f[1], 0.2, "F2/F1 ratio");
    CHECK(f[16] < 30, "a steady vowel has almost no vowel-space spread");
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
    test_stddev();
    test_names();
    test_hand_clip();
    test_vowel_formants();
    test_first_88_unchanged();
    return unit_done();
}
