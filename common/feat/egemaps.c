#include "feat/egemaps.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/eglld.h"
#include "dsp/voice.h"
#include "feat/egextra.h"
#include "feat/functionals.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const func_names[EGEMAPS_NFUNC] = {
    "F0semitoneFrom27.5Hz_sma3nz_amean",
    "F0semitoneFrom27.5Hz_sma3nz_stddevNorm",
    "F0semitoneFrom27.5Hz_sma3nz_percentile20.0",
    "F0semitoneFrom27.5Hz_sma3nz_percentile50.0",
    "F0semitoneFrom27.5Hz_sma3nz_percentile80.0",
    "F0semitoneFrom27.5Hz_sma3nz_pctlrange0-2",
    "F0semitoneFrom27.5Hz_sma3nz_meanRisingSlope",
    "F0semitoneFrom27.5Hz_sma3nz_stddevRisingSlope",
    "F0semitoneFrom27.5Hz_sma3nz_meanFallingSlope",
    "F0semitoneFrom27.5Hz_sma3nz_stddevFallingSlope",
    "loudness_sma3_amean",
    "loudness_sma3_stddevNorm",
    "loudness_sma3_percentile20.0",
    "loudness_sma3_percentile50.0",
    "loudness_sma3_percentile80.0",
    "loudness_sma3_pctlrange0-2",
    "loudness_sma3_meanRisingSlope",
    "loudness_sma3_stddevRisingSlope",
    "loudness_sma3_meanFallingSlope",
    "loudness_sma3_stddevFallingSlope",
    "spectralFlux_sma3_amean",
    "spectralFlux_sma3_stddevNorm",
    "mfcc1_sma3_amean",
    "mfcc1_sma3_stddevNorm",
    "mfcc2_sma3_amean",
    "mfcc2_sma3_stddevNorm",
    "mfcc3_sma3_amean",
    "mfcc3_sma3_stddevNorm",
    "mfcc4_sma3_amean",
    "mfcc4_sma3_stddevNorm",
    "jitterLocal_sma3nz_amean",
    "jitterLocal_sma3nz_stddevNorm",
    "shimmerLocaldB_sma3nz_amean",
    "shimmerLocaldB_sma3nz_stddevNorm",
    "HNRdBACF_sma3nz_amean",
    "HNRdBACF_sma3nz_stddevNorm",
    "logRelF0-H1-H2_sma3nz_amean",
    "logRelF0-H1-H2_sma3nz_stddevNorm",
    "logRelF0-H1-A3_sma3nz_amean",
    "logRelF0-H1-A3_sma3nz_stddevNorm",
    "F1frequency_sma3nz_amean",
    "F1frequency_sma3nz_stddevNorm",
    "F1bandwidth_sma3nz_amean",
    "F1bandwidth_sma3nz_stddevNorm",
    "F1amplitudeLogRelF0_sma3nz_amean",
    "F1amplitudeLogRelF0_sma3nz_stddevNorm",
    "F2frequency_sma3nz_amean",
    "F2frequency_sma3nz_stddevNorm",
    "F2bandwidth_sma3nz_amean",
    "F2bandwidth_sma3nz_stddevNorm",
    "F2amplitudeLogRelF0_sma3nz_amean",
    "F2amplitudeLogRelF0_sma3nz_stddevNorm",
    "F3frequency_sma3nz_amean",
    "F3frequency_sma3nz_stddevNorm",
    "F3bandwidth_sma3nz_amean",
    "F3bandwidth_sma3nz_stddevNorm",
    "F3amplitudeLogRelF0_sma3nz_amean",
    "F3amplitudeLogRelF0_sma3nz_stddevNorm",
    "alphaRatioV_sma3nz_amean",
    "alphaRatioV_sma3nz_stddevNorm",
    "hammarbergIndexV_sma3nz_amean",
    "hammarbergIndexV_sma3nz_stddevNorm",
    "slopeV0-500_sma3nz_amean",
    "slopeV0-500_sma3nz_stddevNorm",
    "slopeV500-1500_sma3nz_amean",
    "slopeV500-1500_sma3nz_stddevNorm",
    "spectralFluxV_sma3nz_amean",
    "spectralFluxV_sma3nz_stddevNorm",
    "mfcc1V_sma3nz_amean",
    "mfcc1V_sma3nz_stddevNorm",
    "mfcc2V_sma3nz_amean",
    "mfcc2V_sma3nz_stddevNorm",
    "mfcc3V_sma3nz_amean",
    "mfcc3V_sma3nz_stddevNorm",
    "mfcc4V_sma3nz_amean",
    "mfcc4V_sma3nz_stddevNorm",
    "alphaRatioUV_sma3nz_amean",
    "hammarbergIndexUV_sma3nz_amean",
    "slopeUV0-500_sma3nz_amean",
    "slopeUV500-1500_sma3nz_amean",
    "spectralFluxUV_sma3nz_amean",
    "loudnessPeaksPerSec",
    "VoicedSegmentsPerSec",
    "MeanVoicedSegmentLengthSec",
    "StddevVoicedSegmentLengthSec",
    "MeanUnvoicedSegmentLength",
    "StddevUnvoicedSegmentLength",
    "equivalentSoundLevel_dBp",
};

static const char *const spectral_names[EGLLD_NSPECTRAL] = {
    "Loudness_sma3",      "alphaRatio_sma3",   "hammarbergIndex_sma3", "slope0-500_sma3",
    "slope500-1500_sma3", "spectralFlux_sma3", "mfcc1_sma3",           "mfcc2_sma3",
    "mfcc3_sma3",         "mfcc4_sma3",
};

const char *egemaps_func_name(int i) { return i >= 0 && i < EGEMAPS_NFUNC ? func_names[i] : NULL; }

const char *egemaps_lld_name(int c)
{
    if (c >= 0 && c < EGLLD_NSPECTRAL)
        return spectral_names[c];
    if (c >= EGLLD_NSPECTRAL && c < EGEMAPS_NLLD)
        return voice_lld_name(c - EGLLD_NSPECTRAL);
    return NULL;
}

#define FRAME_PERIOD 0.01 /* seconds between LLD rows */

struct egemaps {
    eglld *spectral;
    voice_workspace *voice;
    egextra *extra;                        /* made on the first egemaps_functionals_extra */
    double *raw;                           /* n25 x EGLLD_NCOLS */
    double *smooth;                        /* EGLLD_NSPECTRAL contours of n25 */
    float *voice_lld, *voice_func, *f0_hz; /* nframes x VOICE_NLLD, .., nframes */
    double *a, *b, *sorted;                /* contours of max(n25, nframes) */
    float *lld;                            /* nframes x EGEMAPS_NLLD */
    size_t cap25, capv;
};

egemaps *egemaps_new(void)
{
    egemaps *g = cli_xcalloc(1, sizeof *g);
    g->spectral = eglld_new();
    g->voice = voice_workspace_create();
    return g;
}

void egemaps_free(egemaps *g)
{
    if (!g)
        return;
    eglld_free(g->spectral);
    voice_workspace_free(g->voice);
    egextra_free(g->extra);
    free(g->raw);
    free(g->smooth);
    free(g->voice_lld);
    free(g->voice_func);
    free(g->f0_hz);
    free(g->a);
    free(g->b);
    free(g->sorted);
    free(g->lld);
    free(g);
}

static void reserve(egemaps *g, size_t n25, size_t nv)
{
    size_t ncont = n25 > nv ? n25 : nv;
    if (ncont > g->cap25 || !g->raw) {
        size_t cap = ncont + 16;
        g->raw = cli_xrealloc(g->raw, cap * EGLLD_NCOLS * sizeof *g->raw);
        g->smooth = cli_xrealloc(g->smooth, cap * EGLLD_NSPECTRAL * sizeof *g->smooth);
        g->a = cli_xrealloc(g->a, cap * sizeof *g->a);
        g->b = cli_xrealloc(g->b, cap * sizeof *g->b);
        g->sorted = cli_xrealloc(g->sorted, cap * sizeof *g->sorted);
        g->cap25 = cap;
    }
    if (nv > g->capv || !g->lld) {
        size_t cap = nv + 16;
        g->voice_lld = cli_xrealloc(g->voice_lld, cap * VOICE_NLLD * sizeof *g->voice_lld);
        g->voice_func = cli_xrealloc(g->voice_func, cap * VOICE_NLLD * sizeof *g->voice_func);
        g->f0_hz = cli_xrealloc(g->f0_hz, cap * sizeof *g->f0_hz);
        g->lld = cli_xrealloc(g->lld, cap * EGEMAPS_NLLD * sizeof *g->lld);
        g->capv = cap;
    }
}

/* What one clip's extraction leaves: frame counts and the filled buffers. */
typedef struct {
    size_t n25;    /* complete 20 ms frames: spectral rows, smoothed contours */
    size_t nrows;  /* openSMILE's LLD rows (voice rows) */
    size_t npitch; /* frames the pitch-based functionals see */
} clip_frames;

static int extract_spectral(egemaps *g, const float *x, size_t n, double sr, clip_frames *f,
                            char *err, size_t errlen)
{
    f->n25 = eglld_frames(n, sr);
    f->nrows = voice_frames(n, sr);
    f->npitch = f->nrows >= 2 ? f->nrows - 2 : 0;
    reserve(g, f->n25, f->nrows);
    if (eglld_compute(g->spectral, x, n, sr, g->raw, err, errlen) != 0)
        return -1;
    for (int c = 0; c < EGLLD_NSPECTRAL; c++) {
        for (size_t t = 0; t < f->n25; t++)
            g->a[t] = g->raw[t * EGLLD_NCOLS + c];
        contour_sma3(g->a, f->n25, false, g->smooth + (size_t)c * f->n25);
    }
    return 0;
}

/* want_lld: fill g->voice_lld (the LLD rows) too, which costs the formants of unvoiced frames. */
static int extract(egemaps *g, const float *x, size_t n, double sr, bool want_lld, clip_frames *f,
                   char *err, size_t errlen)
{
    if (extract_spectral(g, x, n, sr, f, err, errlen) != 0)
        return -1;
    if (f->nrows > 0 &&
        voice_lld_compute_ws(g->voice, x, n, sr, f->nrows, want_lld ? g->voice_lld : NULL,
                             g->voice_func, g->f0_hz, err, errlen) != 0)
        return -1;
    return 0;
}

const float *egemaps_llds(egemaps *g, const float *x, size_t n, double sr, size_t *rows, char *err,
                          size_t errlen)
{
    clip_frames f;
    if (extract(g, x, n, sr, true, &f, err, errlen) != 0)
        return NULL;
    for (size_t t = 0; t < f.nrows; t++) {
        float *row = g->lld + t * EGEMAPS_NLLD;
        for (int c = 0; c < EGLLD_NSPECTRAL; c++)
            row[c] = t < f.n25 ? (float)g->smooth[(size_t)c * f.n25 + t] : 0.0f;
        memcpy(row + EGLLD_NSPECTRAL, g->voice_lld + t * VOICE_NLLD, VOICE_NLLD * sizeof *row);
    }
    *rows = f.nrows;
    return g->lld;
}

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* amean, stddevNorm, percentiles 20/50/80, range 20-80 and rising/falling slope
 * mean and deviation of contour v[0..n-1]: the ten functionals of F0 and loudness. */
static float *contour_ten(egemaps *g, const double *v, size_t n, float *out)
{
    double mean = func_mean(v, n);
    memcpy(g->sorted, v, n * sizeof *v);
    qsort(g->sorted, n, sizeof *g->sorted, by_value);
    double p20 = func_percentile(g->sorted, n, 0.2), p50 = func_percentile(g->sorted, n, 0.5),
           p80 = func_percentile(g->sorted, n, 0.8);
    func_peaks pk;
    func_peaks_compute(v, n, FRAME_PERIOD, &pk);
    double ten[10] = {mean,
                      func_stddev_norm(v, n, mean),
                      p20,
                      p50,
                      p80,
                      fabs(p80 - p20),
                      pk.mean_rising,
                      pk.stddev_rising,
                      pk.mean_falling,
                      pk.stddev_falling};
    for (int i = 0; i < 10; i++)
        *out++ = (float)ten[i];
    return out;
}

static float *mean_and_norm(const double *v, size_t n, bool with_norm, float *out)
{
    double mean = func_mean(v, n);
    *out++ = (float)mean;
    if (with_norm)
        *out++ = (float)func_stddev_norm(v, n, mean);
    return out;
}

/* Spectral LLD c before smoothing on the voiced (or unvoiced) frames, 0
 * elsewhere, smoothed over its non-zero values (over every LLD row), then the
 * first npitch compacted to the non-zero ones: openSMILE's alphaRatioV ...
 * mfcc4V and alphaRatioUV ... contours. */
static size_t split_contour(egemaps *g, const clip_frames *f, int c, bool voiced)
{
    size_t n = f->nrows < f->n25 ? f->nrows : f->n25;
    for (size_t t = 0; t < n; t++) {
        bool is_voiced = g->f0_hz[t] > 0;
        g->a[t] = is_voiced == voiced ? g->raw[t * EGLLD_NCOLS + c] : 0.0;
    }
    contour_sma3(g->a, n, true, g->b);
    return contour_nonzero(g->b, f->npitch < n ? f->npitch : n, g->b);
}

/* The 88 functionals from the LLDs extract() left in g. */
static void pool(egemaps *g, clip_frames f, float *out)
{
    float *o = out;
    /* F0 semitones, voiced frames only. */
    for (size_t t = 0; t < f.npitch; t++)
        g->a[t] = g->voice_func[t * VOICE_NLLD + VOICE_F0_SEMITONE];
    size_t nv = contour_nonzero(g->a, f.npitch, g->b);
    o = contour_ten(g, g->b, nv, o);
    /* Loudness, every frame. */
    const double *loud = g->smooth + (size_t)EGLLD_LOUDNESS * f.n25;
    o = contour_ten(g, loud, f.n25, o);
    /* Spectral flux and MFCC 1-4, every frame. */
    for (int c = EGLLD_FLUX; c <= EGLLD_MFCC4; c++)
        o = mean_and_norm(g->smooth + (size_t)c * f.n25, f.n25, true, o);
    /* Voice quality and formants, voiced frames. */
    for (int c = VOICE_JITTER; c < VOICE_NLLD; c++) {
        for (size_t t = 0; t < f.npitch; t++)
            g->a[t] = g->voice_func[t * VOICE_NLLD + c];
        size_t m = contour_nonzero(g->a, f.npitch, g->b);
        o = mean_and_norm(g->b, m, true, o);
    }
    /* Spectral LLDs on voiced frames, then on unvoiced ones (without flux's
     * stddev: openSMILE takes only the means there, and no MFCCs). */
    static const int voiced_cols[] = {EGLLD_ALPHA_RATIO,   EGLLD_HAMMARBERG, EGLLD_SLOPE0_500,
                                      EGLLD_SLOPE500_1500, EGLLD_FLUX,       EGLLD_MFCC1,
                                      EGLLD_MFCC2,         EGLLD_MFCC3,      EGLLD_MFCC4};
    for (size_t i = 0; i < sizeof voiced_cols / sizeof *voiced_cols; i++) {
        size_t m = split_contour(g, &f, voiced_cols[i], true);
        o = mean_and_norm(g->b, m, true, o);
    }
    for (int c = EGLLD_ALPHA_RATIO; c <= EGLLD_FLUX; c++) {
        size_t m = split_contour(g, &f, c, false);
        o = mean_and_norm(g->b, m, false, o);
    }
    /* Rates and segment lengths. */
    func_peaks pk;
    func_peaks_compute(loud, f.n25, FRAME_PERIOD, &pk);
    *o++ = (float)pk.peaks_per_sec;
    for (size_t t = 0; t < f.npitch; t++)
        g->a[t] = g->voice_func[t * VOICE_NLLD + VOICE_F0_SEMITONE];
    func_segments voiced, unvoiced;
    func_segments_compute(g->a, f.npitch, true, &voiced);
    func_segments_compute(g->a, f.npitch, false, &unvoiced);
    *o++ = f.npitch ? (float)(voiced.count / (f.npitch * FRAME_PERIOD)) : 0.0f;
    *o++ = (float)(voiced.mean_len * FRAME_PERIOD);
    *o++ = (float)(voiced.stddev_len * FRAME_PERIOD);
    *o++ = (float)(unvoiced.mean_len * FRAME_PERIOD);
    *o++ = (float)(unvoiced.stddev_len * FRAME_PERIOD);
    /* Equivalent sound level: the mean frame power in dB, floored at -120 dB. */
    double power = 0;
    for (size_t t = 0; t < f.n25; t++)
        power += g->raw[t * EGLLD_NCOLS + EGLLD_ENERGY];
    power = f.n25 ? power / f.n25 : 0;
    *o++ = (float)(power > 1e-12 ? 10.0 * log10(power) : -120.0);
    if (o - out != EGEMAPS_NFUNC)
        cli_fail(NULL, "internal error: %d eGeMAPS functionals", (int)(o - out));
}

int egemaps_functionals(egemaps *g, const float *x, size_t n, double sr, float *out, char *err,
                        size_t errlen)
{
    clip_frames f;
    if (extract(g, x, n, sr, false, &f, err, errlen) != 0)
        return -1;
    pool(g, f, out);
    return 0;
}

int egemaps_functionals_given_voice(egemaps *g, const float *x, size_t n, double sr,
                                    const float *voice_func, const float *f0_hz, size_t nrows,
                                    float *out, char *err, size_t errlen)
{
    clip_frames f;
    if (extract_spectral(g, x, n, sr, &f, err, errlen) != 0)
        return -1;
    if (nrows != f.nrows) {
        return err_set(err, errlen, "%zu voice rows given, the clip has %zu", nrows, f.nrows);
    }
    memcpy(g->voice_func, voice_func, nrows * VOICE_NLLD * sizeof *voice_func);
    memcpy(g->f0_hz, f0_hz, nrows * sizeof *f0_hz);
    pool(g, f, out);
    return 0;
}

int egemaps_functionals_extra(egemaps *g, const float *x, size_t n, double sr, float *out,
                              char *err, size_t errlen)
{
    clip_frames f;
    if (extract(g, x, n, sr, false, &f, err, errlen) != 0)
        return -1;
    pool(g, f, out);
    if (!g->extra)
        g->extra = egextra_new();
    egextra_input in = {.x = x,
                        .n = n,
                        .sr = sr,
                        .n25 = f.n25,
                        .npitch = f.npitch,
                        .raw = g->raw,
                        .loud = g->smooth + (size_t)EGLLD_LOUDNESS * f.n25,
                        .voice = g->voice_func,
                        .f0_hz = g->f0_hz};
    egextra_compute(g->extra, &in, out + EGEMAPS_NFUNC);
    return 0;
}
