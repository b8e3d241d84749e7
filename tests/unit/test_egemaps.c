/* Unit tests of the eGeMAPS pieces: loudness, spectral balance measures,
 * functionals against hand computations, edge clips, and the 88 functionals
 * against openSMILE's goldens (tests/fixtures/golden/egemaps) with openSMILE's
 * own voice LLDs given, so that these tests check sentio's part alone. */
#include "dsp/audio.h"
#include "dsp/eglld.h"
#include "dsp/loudness.h"
#include "dsp/spectral.h"
#include "dsp/trimel.h"
#include "dsp/voice.h"
#include "feat/egemaps.h"
#include "feat/functionals.h"
#include "unit.h"

#include <stdlib.h>

#define PI 3.14159265358979323846

static void sine(float *x, size_t n, double sr, double hz, double amp)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2 * PI * hz * i / sr));
}

static double mean_loudness(eglld *e, const float *x, size_t n, double sr)
{
    size_t frames = eglld_frames(n, sr);
    double *rows = malloc(frames * EGLLD_NCOLS * sizeof *rows), sum = 0;
    char err[256];
    eglld_compute(e, x, n, sr, rows, err, sizeof err);
    for (size_t t = 0; t < frames; t++)
        sum += rows[t * EGLLD_NCOLS + EGLLD_LOUDNESS];
    free(rows);
    return sum / frames;
}

static void test_loudness(void)
{
    /* The curve peaks near 3 kHz (about 3.1) and is about 30 dB lower at 100 Hz. */
    CHECK(loudness_equal_weight(3000) > 2.5 && loudness_equal_weight(3000) < 3.5,
          "equal-loudness weight about 3 at 3 kHz");
    CHECK(loudness_equal_weight(100) < 2e-3 * loudness_equal_weight(3000),
          "equal-loudness weight more than 27 dB down at 100 Hz");
    CHECK(loudness_equal_weight(1000) < loudness_equal_weight(3000) &&
              loudness_equal_weight(8000) < loudness_equal_weight(3000),
          "equal-loudness weight falls on both sides of 3 kHz");
    double floor_only[3] = {0, 0, 0}, ones[3] = {1, 1, 1};
    CHECK_NEAR(loudness_from_bands(floor_only, ones, 3), pow(LOUDNESS_FLOOR, 0.33), 1e-12,
               "silent bands give the floor's loudness");
    /* Calibrated tones: loudness grows with power^0.33, i.e. x2 amplitude -> x2^0.66. */
    const double sr = 16000;
    size_t n = 16000;
    float *x = malloc(n * sizeof *x);
    eglld *e = eglld_new();
    sine(x, n, sr, 1000, 0.1);
    double quiet = mean_loudness(e, x, n, sr);
    sine(x, n, sr, 1000, 0.2);
    double loud = mean_loudness(e, x, n, sr);
    CHECK_NEAR(loud / quiet, pow(2.0, 0.66), 0.01 * pow(2.0, 0.66),
               "loudness of a 1 kHz tone: +6 dB gives x2^0.66");
    /* Equal loudness: at the same amplitude a 100 Hz tone is far softer than 1 kHz. */
    sine(x, n, sr, 100, 0.2);
    CHECK(mean_loudness(e, x, n, sr) < 0.5 * loud, "a 100 Hz tone is softer than 1 kHz");
    eglld_free(e);
    free(x);
}

static void test_spectral(void)
{
    /* df = 250 Hz: bins at 0, 250, ..., 5000 Hz (21 bins). */
    float p[21];
    for (int k = 0; k < 21; k++)
        p[k] = k * 250 < 1000 ? 1.0f : 0.1f; /* 4 bins below 1 kHz, 17 in 1-5 kHz */
    CHECK_NEAR(spectral_alpha_ratio(p, 21, 250), 10 * log10(1.7 / 4.0), 1e-5,
               "alpha ratio of a two-level spectrum");
    p[3] = 4.0f;  /* strongest below 2 kHz */
    p[12] = 0.5f; /* strongest in 2-5 kHz (3000 Hz) */
    CHECK_NEAR(spectral_hammarberg(p, 21, 250), 10 * log10(4.0 / 0.5), 1e-5,
               "Hammarberg index: strongest 0-2 kHz over strongest 2-5 kHz");
    float zero[21] = {0};
    CHECK(spectral_alpha_ratio(zero, 21, 250) == 0 && spectral_hammarberg(zero, 21, 250) == 0,
          "silence: alpha ratio and Hammarberg index 0");
    /* Slope 0-500 Hz at df 250: bins 0, 250, 500 with weights 1, regression width 2
     * (openSMILE divides by the width in bins, not the count):
     * (2 sum f L - sum f sum L) / (2 sum f^2 - (sum f)^2). */
    spectral_slope_band b;
    spectral_slope_band_init(&b, 0, 500, 21, 250);
    CHECK(b.lo == 0 && b.hi == 2 && b.width == 2 && b.w_lo == 1 && b.w_hi == 1,
          "slope band 0-500 Hz at 250 Hz spacing: bins 0..2, width 2");
    float lin[21] = {0, 10, 20}, step[21] = {0, 0, 30};
    CHECK_NEAR(spectral_slope(&b, lin, 250), 0.04, 1e-9, "slope of a linear log spectrum");
    CHECK_NEAR(spectral_slope(&b, step, 250), (2 * 15000.0 - 750 * 30.0) / 62500.0, 1e-9,
               "slope with openSMILE's width-2 regression");
    /* Edge weights: 500-1500 Hz at df 300: lower edge in bin 1 (300 Hz), weight
     * (600-500)/300; upper edge between 1500 (bin 5, exact). */
    spectral_slope_band_init(&b, 500, 1500, 21, 300);
    CHECK(b.lo == 1 && b.hi == 5 && fabs(b.w_lo - 1.0 / 3) < 1e-12 && b.width == 4,
          "slope band 500-1500 Hz at 300 Hz spacing");
    float m1[4] = {1, 2, 3, 4}, m0[4] = {1, 0, 3, 2};
    CHECK_NEAR(spectral_flux(m1, m0, 3), sqrt((0 + 4 + 0 + 4) / 4.0), 1e-12, "flux by hand");
    CHECK(spectral_last_bin_below(5000, 21, 250) == 19, "flux range ends below 5 kHz");
}

static void test_trimel(void)
{
    trimel_bank b;
    CHECK(trimel_init(&b, 26, 513, 16000.0 / 1024, 20, 8000) == 0, "mel bank builds");
    /* A flat power spectrum: each band's sum is about its width in bins, rising with
     * frequency; weights of a bin add up to 1 across its two bands. */
    float *flat = malloc(513 * sizeof *flat);
    for (int k = 0; k < 513; k++)
        flat[k] = 1;
    double bands[26];
    trimel_apply(&b, flat, bands);
    double total = 0;
    for (int m = 0; m < 26; m++)
        total += bands[m];
    CHECK(bands[25] > bands[0] * 10, "upper mel bands are wider");
    CHECK(total > 0.9 * (b.last - b.first + 1) && total <= b.last - b.first + 1,
          "each bin's power is shared, not duplicated");
    CHECK_NEAR(b.centre_hz[25],
               trimel_hz(trimel_mel(20) + 26 * (trimel_mel(8000) - trimel_mel(20)) / 27), 1e-9,
               "last centre 26/27 of the way in mel");
    free(flat);
    trimel_free(&b);
}

static void test_functionals(void)
{
    double v[5] = {3, 1, 4, 1, 5}, s[5] = {1, 1, 3, 4, 5};
    CHECK_NEAR(func_mean(v, 5), 2.8, 1e-12, "mean");
    CHECK_NEAR(func_stddev_norm(v, 5, 2.8), sqrt((0.04 + 3.24 + 1.44 + 3.24 + 4.84) / 5) / 2.8,
               1e-12, "coefficient of variation");
    CHECK_NEAR(func_percentile(s, 5, 0.2), 1.0, 1e-12, "percentile 20 (index 0.8)");
    CHECK_NEAR(func_percentile(s, 5, 0.5), 3.0, 1e-12, "median");
    CHECK_NEAR(func_percentile(s, 5, 0.8), 4.2, 1e-12, "percentile 80 (index 3.2)");
    double z[3] = {0, 0, 0};
    CHECK(func_mean(z, 0) == 0 && func_stddev_norm(z, 3, 0) == 0 && func_percentile(z, 0, 0.5) == 0,
          "empty and constant contours give 0");
    /* sma3: ends repeat; nz averages only non-zero neighbours. */
    double c[5] = {3, 0, 6, 9, 0}, y[5];
    contour_sma3(c, 5, false, y);
    CHECK_NEAR(y[0], (3 + 3 + 0) / 3.0, 1e-12, "sma3 repeats the first value");
    CHECK_NEAR(y[4], (9 + 0 + 0) / 3.0, 1e-12, "sma3 repeats the last value");
    contour_sma3(c, 5, true, y);
    CHECK(y[1] == 0 && y[4] == 0, "sma3nz keeps zeros");
    CHECK_NEAR(y[2], 7.5, 1e-12, "sma3nz averages the non-zero neighbours");
    CHECK_NEAR(y[0], 3, 1e-12, "sma3nz at the start");
    /* Peaks: a triangle wave 0,1,2,3,2,1,0,1,2,3,2,1,0 at 10 ms: rises of 3 over 3
     * frames (100/s), falls likewise; peaks at frames 3 and 9. */
    double tri[13] = {0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0};
    func_peaks pk;
    func_peaks_compute(tri, 13, 0.01, &pk);
    CHECK_NEAR(pk.mean_rising, 100, 1e-9, "rising slope of a triangle wave");
    CHECK_NEAR(pk.stddev_rising, 0, 1e-9, "rising slopes all equal");
    /* Falls: 3->0 over frames 3..6 (100/s), then the end segment 3->0 over 9..12,
     * which openSMILE counts as -100 (its sign kept): mean 0; the deviation sums
     * only the falls between extrema but divides by both: sqrt(100^2 / 2). */
    CHECK_NEAR(pk.mean_falling, 0, 1e-9, "falling slopes: +100 and the end's -100");
    CHECK_NEAR(pk.stddev_falling, 100 / sqrt(2), 1e-9, "falling slope deviation");
    CHECK_NEAR(pk.peaks_per_sec, 2 / 0.13, 1e-9, "two peaks in 0.13 s");
    /* Small wiggles (under 10% of the range) are not peaks. */
    double wig[12] = {0, 0, 10, 9.5, 10, 0, 0, 0, 0, 0, 0, 0};
    func_peaks_compute(wig, 12, 0.01, &pk);
    CHECK_NEAR(pk.peaks_per_sec, 1 / 0.12, 1e-9, "a dip of 5% of the range does not split a peak");
    /* Segments: voiced runs 2..6 and 9..13 (a single unvoiced frame at 11 does not end
     * it), length counted one short: 4 and 4; the unvoiced run 0..1 is too short. */
    double f0[16] = {0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0};
    func_segments seg;
    func_segments_compute(f0, 16, true, &seg);
    CHECK(seg.count == 2, "two voiced segments");
    CHECK_NEAR(seg.mean_len, 4, 1e-12, "voiced segment lengths as openSMILE counts them");
    func_segments_compute(f0, 16, false, &seg);
    CHECK(seg.count == 0, "no unvoiced run reaches three frames");
    double all0[10] = {0};
    func_segments_compute(all0, 10, false, &seg);
    CHECK(seg.count == 1 && seg.mean_len == 9 && seg.stddev_len == 0,
          "an all-unvoiced contour of 10 frames is one segment of 9");
}

/* ---- against openSMILE, voice LLDs given from its LLD CSV ---- */

static const char *fixtures_dir(void)
{
    const char *d = getenv("SENTIO_FIXTURES");
    return d ? d : "tests/fixtures";
}

/* Reads the 15 voice columns of NAME.lld.csv (after 10 spectral ones and the
 * name and time) into func rows as openSMILE's functionals see them. */
static size_t read_voice(const char *name, float **func, float **f0)
{
    char path[512];
    snprintf(path, sizeof path, "%s/golden/egemaps/lld/%s.lld.csv", fixtures_dir(), name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    char line[8192];
    size_t rows = 0, cap = 1024;
    *func = malloc(cap * VOICE_NLLD * sizeof **func);
    *f0 = malloc(cap * sizeof **f0);
    if (!fgets(line, sizeof line, fp))
        line[0] = 0;
    while (fgets(line, sizeof line, fp) && rows < cap) {
        char *p = line;
        for (int skip = 0; skip < 12 && p; skip++)
            p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL;
        if (!p)
            break;
        float *r = *func + rows * VOICE_NLLD;
        for (int c = 0; c < VOICE_NLLD; c++) {
            r[c] = strtof(p, &p);
            if (*p == ';')
                p++;
        }
        bool voiced = r[VOICE_F0_SEMITONE] > 0;
        (*f0)[rows] = voiced ? (float)(27.5 * pow(2, r[VOICE_F0_SEMITONE] / 12)) : 0.0f;
        if (!voiced)
            for (int c = VOICE_F1_FREQ; c < VOICE_NLLD; c++)
                r[c] = 0;
        rows++;
    }
    fclose(fp);
    return rows;
}

static bool read_golden(const char *name, double *g)
{
    char path[512], line[16384];
    snprintf(path, sizeof path, "%s/golden/egemaps/fixtures.csv", fixtures_dir());
    FILE *fp = fopen(path, "r");
    if (!fp)
        return false;
    bool found = false;
    while (!found && fgets(line, sizeof line, fp)) {
        size_t len = strlen(name);
        if (strncmp(line, name, len) != 0 || strncmp(line + len, ".wav,", 5) != 0)
            continue;
        char *p = line + len + 5;
        for (int i = 0; i < EGEMAPS_NFUNC; i++) {
            g[i] = strtod(p, &p);
            if (*p == ',')
                p++;
        }
        found = true;
    }
    fclose(fp);
    return found;
}

static void test_golden(const char *name)
{
    char path[512], err[256], what[256];
    snprintf(path, sizeof path, "%s/%s.wav", fixtures_dir(), name);
    audio_clip clip;
    float *func = NULL, *f0 = NULL, out[EGEMAPS_NFUNC];
    double gold[EGEMAPS_NFUNC];
    size_t rows = read_voice(name, &func, &f0);
    if (audio_load(path, 0, &clip, err, sizeof err) != 0 || rows == 0 || !read_golden(name, gold)) {
        snprintf(what, sizeof what, "%s: fixture and goldens readable", name);
        CHECK(false, what);
        free(func);
        free(f0);
        return;
    }
    egemaps *g = egemaps_new();
    int rc = egemaps_functionals_given_voice(g, clip.samples, clip.n, clip.sr, func, f0, rows, out,
                                             err, sizeof err);
    snprintf(what, sizeof what, "%s: %zu LLD rows as openSMILE's", name, rows);
    CHECK(rc == 0, what);
    int worst = 0;
    double worst_rel = 0;
    for (int i = 0; i < EGEMAPS_NFUNC && rc == 0; i++) {
        double rel = fabs(out[i] - gold[i]) / (fabs(gold[i]) + 1e-6);
        if (getenv("EGEMAPS_DEBUG"))
            printf("# %2d %-42s %14.7g %14.7g %.2g\n", i, egemaps_func_name(i), out[i], gold[i],
                   rel);
        /* The formant columns of the LLD CSV are smoothed across unvoiced frames,
         * unlike those openSMILE's functionals read: not comparable here. */
        if (i >= 40 && i < 58)
            continue;
        if (rel > worst_rel) {
            worst_rel = rel;
            worst = i;
        }
    }
    snprintf(what, sizeof what, "%s: 70 functionals within 1e-4 of openSMILE's (worst: %s, %.2g)",
             name, egemaps_func_name(worst), worst_rel);
    CHECK(worst_rel <= 1e-4, what);
    egemaps_free(g);
    audio_clip_free(&clip);
    free(func);
    free(f0);
}

static void test_edges(void)
{
    egemaps *g = egemaps_new();
    float out[EGEMAPS_NFUNC], x[4800] = {0};
    char err[256];
    /* Shorter than a 60 ms pitch frame (and than a 20 ms frame). */
    CHECK(egemaps_functionals(g, x, 100, 16000, out, err, sizeof err) == 0, "a 100-sample clip");
    bool finite = true, zero = true;
    for (int i = 0; i < EGEMAPS_NFUNC - 1; i++) {
        finite &= isfinite(out[i]);
        zero &= out[i] == 0;
    }
    CHECK(finite && zero && out[EGEMAPS_NFUNC - 1] == -120,
          "a clip shorter than a frame: every functional 0, the sound level -120 dB");
    size_t rows = 1;
    CHECK(egemaps_llds(g, x, 100, 16000, &rows, err, sizeof err) && rows == 0,
          "a clip shorter than 60 ms has no LLD rows, as openSMILE");
    /* Noise: all finite. */
    unsigned seed = 1;
    for (int i = 0; i < 4800; i++) {
        seed = seed * 1103515245u + 12345u;
        x[i] = (float)((seed >> 16) % 2001) / 1000.0f - 1.0f;
    }
    CHECK(egemaps_functionals(g, x, 4800, 16000, out, err, sizeof err) == 0, "300 ms of noise");
    finite = true;
    for (int i = 0; i < EGEMAPS_NFUNC; i++)
        finite &= isfinite(out[i]);
    CHECK(finite, "noise: every functional finite");
    CHECK(egemaps_functionals(g, x, 4800, 500, out, err, sizeof err) == -1,
          "a rate below 1 kHz is refused");
    egemaps_free(g);
}

int main(void)
{
    test_loudness();
    test_spectral();
    test_trimel();
    test_functionals();
    test_golden("speech16k_float");
    test_golden("speech22k");
    test_golden("speech44k_stereo24");
    test_golden("silence");
    test_edges();
    return unit_done();
}
