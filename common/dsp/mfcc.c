#include "dsp/mfcc.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/dct.h"
#include "dsp/fftplan.h"
#include "dsp/frames.h"
#include "dsp/melfilter.h"
#include "dsp/powerdb.h"
#include "dsp/window.h"

#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mfcc_extractor {
    mfcc_config cfg;
    int n_bins;
    float *window;
    float *fft_in;
    fftwf_complex *fft_out;
    fftwf_plan plan;
    bool half;         /* even n_fft: plan is a complex FFT of n_fft/2 points */
    float *twiddle_re; /* half: W^k = cos - i sin (2 pi k / n_fft), k <= n_fft/4 */
    float *twiddle_im;
    float *power;
    float *dct_t; /* n_mels x dct_cols: the DCT matrix transposed, zero-padded */
    int dct_cols; /* n_mfcc rounded up to a multiple of 8 */
    mel_filterbank mel;
    double mel_sr;       /* rate the filterbank was built for; 0 = none yet */
    float *logmel;       /* frames x n_mels */
    float *coef;         /* frames x n_mfcc */
    double *mean_logmel; /* n_mels: the time sums of logmel */
    float *pooled;       /* 2 x n_mfcc: mean (and std) pooling's result */
    size_t frames_cap;
};

void mfcc_config_defaults(mfcc_config *c)
{
    c->n_fft = 2048;
    c->hop = 512;
    c->n_mels = 128;
    c->n_mfcc = 40;
    c->fmin = 0.0;
    c->fmax = 0.0;
    c->clip_db = true;
    c->top_db = 80.0;
    c->pool = MFCC_POOL_MEAN;
}

double mfcc_config_fmax(const mfcc_config *c, double sr) { return c->fmax > 0 ? c->fmax : sr / 2; }

int mfcc_config_empty_bands(const mfcc_config *c, double sr, double source_sr)
{
    double lo = mel_from_hz(c->fmin), hi = mel_from_hz(mfcc_config_fmax(c, sr));
    int empty = 0;
    for (int m = 0; m < c->n_mels; m++) /* filter m rises from mel point m */
        empty += hz_from_mel(lo + (hi - lo) * m / (c->n_mels + 1)) >= source_sr / 2;
    return empty;
}

const char *mfcc_config_check(const mfcc_config *c, double sr)
{
    static _Thread_local char msg[160];
    double fmax = mfcc_config_fmax(c, sr);
    if (c->n_fft < 2 || c->hop < 1 || c->n_mels < 1 || c->n_mfcc < 1)
        return "n_fft, hop, n_mels and n_mfcc must be positive";
    if (c->n_mfcc > c->n_mels) {
        snprintf(msg, sizeof msg, "n_mfcc %d is more than n_mels %d", c->n_mfcc, c->n_mels);
        return msg;
    }
    if (c->clip_db && !(c->top_db >= 0))
        return "top_db must be non-negative";
    if (!(sr > 0))
        return "the sample rate must be positive";
    if (!(c->fmin >= 0) || !(fmax > c->fmin)) {
        snprintf(msg, sizeof msg, "fmin %g must be below fmax %g", c->fmin, fmax);
        return msg;
    }
    if (fmax > sr / 2) {
        snprintf(msg, sizeof msg, "fmax %g is above the Nyquist frequency %g of rate %g", fmax,
                 sr / 2, sr);
        return msg;
    }
    return NULL;
}

const char *mfcc_pool_name(mfcc_pool p)
{
    return p == MFCC_POOL_MEAN ? "mean" : p == MFCC_POOL_MEANSTD ? "meanstd" : "none";
}

int mfcc_pool_parse(const char *text, mfcc_pool *p)
{
    if (strcmp(text, "mean") == 0)
        *p = MFCC_POOL_MEAN;
    else if (strcmp(text, "meanstd") == 0)
        *p = MFCC_POOL_MEANSTD;
    else if (strcmp(text, "none") == 0)
        *p = MFCC_POOL_NONE;
    else
        return -1;
    return 0;
}

int mfcc_config_meta(const mfcc_config *c, const char *sr_text, double sr, char *buf, size_t len)
{
    char srbuf[32], topbuf[32];
    if (sr_text)
        snprintf(srbuf, sizeof srbuf, "%s", sr_text);
    else
        snprintf(srbuf, sizeof srbuf, "%.10g", sr);
    if (c->clip_db)
        snprintf(topbuf, sizeof topbuf, "%.10g", c->top_db);
    else
        snprintf(topbuf, sizeof topbuf, "none");
    return snprintf(buf, len,
                    "sr=%s n_fft=%d hop=%d n_mels=%d n_mfcc=%d fmin=%.10g fmax=%.10g top_db=%s "
                    "pool=%s",
                    srbuf, c->n_fft, c->hop, c->n_mels, c->n_mfcc, c->fmin, mfcc_config_fmax(c, sr),
                    topbuf, mfcc_pool_name(c->pool));
}

mfcc_extractor *mfcc_extractor_new(const mfcc_config *c)
{
    mfcc_extractor *m = cli_xcalloc(1, sizeof *m);
    m->cfg = *c;
    m->n_bins = c->n_fft / 2 + 1;
    m->window = cli_xmalloc((size_t)c->n_fft * sizeof *m->window);
    window_hann_periodic(m->window, c->n_fft);
    m->power = cli_xmalloc((size_t)m->n_bins * sizeof *m->power);
    m->mean_logmel = cli_xmalloc((size_t)c->n_mels * sizeof *m->mean_logmel);
    m->pooled = cli_xmalloc(2 * (size_t)c->n_mfcc * sizeof *m->pooled);
    float *dct = cli_xmalloc((size_t)c->n_mfcc * c->n_mels * sizeof *dct);
    dct2_ortho_matrix(dct, c->n_mfcc, c->n_mels);
    m->dct_cols = (c->n_mfcc + 7) / 8 * 8;
    m->dct_t = cli_xcalloc((size_t)m->dct_cols * c->n_mels, sizeof *m->dct_t);
    for (int k = 0; k < c->n_mfcc; k++)
        for (int j = 0; j < c->n_mels; j++)
            m->dct_t[(size_t)j * m->dct_cols + k] = dct[(size_t)k * c->n_mels + j];
    free(dct);
    /* An even-length real FFT as a complex FFT of half the length (even
     * samples as real parts, odd as imaginary) and one split pass (power_half):
     * FFTW's own r2c plan for 2048 points takes 2.3 us here, its complex plan
     * for 1024 points 0.75 us, and the split, vectorised, about 0.3 us. */
    m->half = c->n_fft % 2 == 0;
    if (m->half) {
        int quarter = c->n_fft / 4 + 1;
        m->twiddle_re = cli_xmalloc((size_t)quarter * sizeof *m->twiddle_re);
        m->twiddle_im = cli_xmalloc((size_t)quarter * sizeof *m->twiddle_im);
        const double pi = 3.14159265358979323846;
        for (int k = 0; k < quarter; k++) {
            m->twiddle_re[k] = (float)cos(2 * pi * k / c->n_fft);
            m->twiddle_im[k] = (float)-sin(2 * pi * k / c->n_fft);
        }
    }
    /* FFTW's planner is not thread-safe (fftwf_execute is): one lock for every plan in sentio */
    pthread_mutex_lock(&fftplan_lock);
    m->fft_in = fftwf_malloc((size_t)c->n_fft * sizeof *m->fft_in);
    m->fft_out = fftwf_malloc((size_t)m->n_bins * sizeof *m->fft_out);
    /* FFTW_ESTIMATE: the same algorithm every run, hence byte-identical output. */
    if (m->fft_in && m->fft_out && m->half)
        m->plan = fftwf_plan_dft_1d(c->n_fft / 2, (fftwf_complex *)m->fft_in, m->fft_out,
                                    FFTW_FORWARD, FFTW_ESTIMATE);
    else if (m->fft_in && m->fft_out)
        m->plan = fftwf_plan_dft_r2c_1d(c->n_fft, m->fft_in, m->fft_out, FFTW_ESTIMATE);
    pthread_mutex_unlock(&fftplan_lock);
    if (!m->plan)
        cli_fail(NULL, "cannot plan an FFT of %d points", c->n_fft);
    return m;
}

void mfcc_extractor_free(mfcc_extractor *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&fftplan_lock);
    if (m->plan)
        fftwf_destroy_plan(m->plan);
    fftwf_free(m->fft_in);
    fftwf_free(m->fft_out);
    pthread_mutex_unlock(&fftplan_lock);
    mel_filterbank_free(&m->mel);
    free(m->window);
    free(m->power);
    free(m->twiddle_re);
    free(m->twiddle_im);
    free(m->dct_t);
    free(m->logmel);
    free(m->coef);
    free(m->mean_logmel);
    free(m->pooled);
    free(m);
}

static void reserve_frames(mfcc_extractor *m, size_t frames)
{
    if (frames <= m->frames_cap)
        return;
    size_t cap = m->frames_cap ? m->frames_cap : 256;
    while (cap < frames)
        cap *= 2;
    m->logmel = cli_xrealloc(m->logmel, cap * (size_t)m->cfg.n_mels * sizeof *m->logmel);
    m->coef = cli_xrealloc(m->coef, cap * (size_t)m->cfg.n_mfcc * sizeof *m->coef);
    m->frames_cap = cap;
}

/* Four floats as one SIMD register (GCC/Clang vector extension): the
 * arithmetic is elementwise IEEE, so results equal the scalar loop's. */
typedef float v4sf __attribute__((vector_size(16)));

static v4sf load4(const float *p)
{
    v4sf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void store4(float *p, v4sf v) { memcpy(p, &v, sizeof v); }

/* The spectrum's bins k and M - k from a = Z[k], b = conj Z[M-k] and W^k (see
 * power_half); the same expressions serve four bins in v4sf or one in float. */
#define SPLIT_BINS(T, ar, ai, br, bi, wr, wi, lo, hi)                 \
    do {                                                              \
        T er_ = 0.5f * ((ar) + (br)), ei_ = 0.5f * ((ai) + (bi));     \
        T or_ = 0.5f * ((ai) - (bi)), oi_ = 0.5f * ((br) - (ar));     \
        T pr_ = (wr)*or_ - (wi)*oi_, pi_ = (wr)*oi_ + (wi)*or_;       \
        (lo) = (er_ + pr_) * (er_ + pr_) + (ei_ + pi_) * (ei_ + pi_); \
        (hi) = (er_ - pr_) * (er_ - pr_) + (ei_ - pi_) * (ei_ - pi_); \
    } while (0)

/* power[k] = |X[k]|^2, k = 0..n_fft/2, from Z, the complex FFT of length
 * M = n_fft/2 of z[i] = x[2i] + i x[2i+1]. With E and O the FFTs of the even
 * and odd samples, E[k] = (Z[k] + conj Z[M-k]) / 2, O[k] = -i (Z[k] - conj Z[M-k]) / 2,
 * X[k] = E[k] + W^k O[k] and X[M-k] = conj(E[k] - W^k O[k]), W = e^(-2 pi i / n_fft):
 * one pass over k <= M/2 gives both halves of the spectrum. Four bins at a
 * time, then one at a time; elementwise IEEE arithmetic either way. */
static void power_half(mfcc_extractor *m)
{
    const int M = m->cfg.n_fft / 2;
    const float *Z = (const float *)m->fft_out; /* re, im interleaved */
    const float *wr = m->twiddle_re, *wi = m->twiddle_im;
    float *power = m->power;
    float dc = Z[0] + Z[1], nyquist = Z[0] - Z[1];
    power[0] = dc * dc;
    power[M] = nyquist * nyquist;
    int k = 1;
    for (; k + 3 <= M / 2; k += 4) {
        /* a: Z[k..k+3]; b: Z[M-k-3..M-k], reversed to run with k. */
        v4sf a0 = load4(Z + 2 * k), a1 = load4(Z + 2 * k + 4);
        v4sf b0 = load4(Z + 2 * (M - k - 3)), b1 = load4(Z + 2 * (M - k - 3) + 4);
        v4sf ar = __builtin_shufflevector(a0, a1, 0, 2, 4, 6);
        v4sf ai = __builtin_shufflevector(a0, a1, 1, 3, 5, 7);
        v4sf br = __builtin_shufflevector(b0, b1, 6, 4, 2, 0);
        v4sf bi = -__builtin_shufflevector(b0, b1, 7, 5, 3, 1);
        v4sf lo, hi;
        SPLIT_BINS(v4sf, ar, ai, br, bi, load4(wr + k), load4(wi + k), lo, hi);
        store4(power + k, lo);
        store4(power + M - k - 3, __builtin_shufflevector(hi, hi, 3, 2, 1, 0));
    }
    for (; k <= M / 2; k++)
        SPLIT_BINS(float, Z[2 * k], Z[2 * k + 1], Z[2 * (M - k)], -Z[2 * (M - k) + 1], wr[k], wi[k],
                   power[k], power[M - k]);
}

/* coef = logmel x the DCT, four frames and eight coefficients at a time so
 * that the 32 sums stay in registers. Each sum runs over the mel bands in
 * order, exactly as a plain loop would. */
static void dct_frames(mfcc_extractor *m, size_t n_frames)
{
    const int n_mels = m->cfg.n_mels, n_mfcc = m->cfg.n_mfcc, padded = m->dct_cols;
    for (size_t t0 = 0; t0 < n_frames; t0 += 4) {
        const float *r[4];
        for (int f = 0; f < 4; f++) /* past the end: repeat the last frame */
            r[f] = m->logmel + (t0 + f < n_frames ? t0 + f : n_frames - 1) * (size_t)n_mels;
        for (int k0 = 0; k0 < padded; k0 += 8) {
            v4sf a0 = {0}, b0 = {0}, a1 = {0}, b1 = {0}, a2 = {0}, b2 = {0}, a3 = {0}, b3 = {0};
            for (int j = 0; j < n_mels; j++) {
                const float *d = m->dct_t + (size_t)j * padded + k0;
                v4sf lo = load4(d), hi = load4(d + 4);
                a0 += lo * r[0][j], b0 += hi * r[0][j];
                a1 += lo * r[1][j], b1 += hi * r[1][j];
                a2 += lo * r[2][j], b2 += hi * r[2][j];
                a3 += lo * r[3][j], b3 += hi * r[3][j];
            }
            float acc[4][8];
            memcpy(acc[0], &a0, 16), memcpy(acc[0] + 4, &b0, 16);
            memcpy(acc[1], &a1, 16), memcpy(acc[1] + 4, &b1, 16);
            memcpy(acc[2], &a2, 16), memcpy(acc[2] + 4, &b2, 16);
            memcpy(acc[3], &a3, 16), memcpy(acc[3] + 4, &b3, 16);
            for (int f = 0; f < 4 && t0 + f < n_frames; f++)
                for (int u = 0; u < 8 && k0 + u < n_mfcc; u++)
                    m->coef[(t0 + f) * (size_t)n_mfcc + k0 + u] = acc[f][u];
        }
    }
}

/* The clipped log-mel spectrogram of x into m->logmel: returns the frame
 * count, or 0 with err set when the configuration does not suit sr. */
static size_t logmel_frames(mfcc_extractor *m, const float *x, size_t n, double sr, char *err,
                            size_t errlen)
{
    const mfcc_config *c = &m->cfg;
    const char *bad = n == 0 ? "no samples" : mfcc_config_check(c, sr);
    if (bad) {
        err_set(err, errlen, "%s", bad);
        return 0;
    }
    if (m->mel_sr != sr) {
        mel_filterbank_free(&m->mel);
        mel_filterbank_init(&m->mel, sr, c->n_fft, c->n_mels, c->fmin, mfcc_config_fmax(c, sr));
        m->mel_sr = sr;
    }
    size_t n_frames = frames_count(c->n_fft, c->hop, n);
    reserve_frames(m, n_frames);
    const int n_mels = c->n_mels, n_bins = m->n_bins;
    for (size_t t = 0; t < n_frames; t++) {
        frames_load(x, n, c->n_fft, c->hop, t, m->window, m->fft_in);
        fftwf_execute(m->plan);
        if (m->half) {
            power_half(m);
        } else {
            const fftwf_complex *X = m->fft_out;
            for (int k = 0; k < n_bins; k++)
                m->power[k] = X[k][0] * X[k][0] + X[k][1] * X[k][1];
        }
        float *row = m->logmel + t * (size_t)n_mels;
        mel_filterbank_apply(&m->mel, m->power, row);
        power_to_db(row, (size_t)n_mels);
    }
    if (c->clip_db)
        db_clip_top(m->logmel, n_frames * (size_t)n_mels, c->top_db);
    return n_frames;
}

const float *mfcc_extractor_frames(mfcc_extractor *m, const float *x, size_t n, double sr,
                                   size_t *frames, char *err, size_t errlen)
{
    size_t n_frames = logmel_frames(m, x, n, sr, err, errlen);
    if (!n_frames)
        return NULL;
    dct_frames(m, n_frames);
    *frames = n_frames;
    return m->coef;
}

/* out[0..n_mfcc-1] = the DCT of the time mean of the log-mel spectrogram, in
 * double. The DCT is linear, so this is the mean of the frames' MFCCs, for
 * one DCT per clip instead of one per frame. */
static void dct_of_mean(const mfcc_extractor *m, size_t n_frames, float *out)
{
    const int n_mels = m->cfg.n_mels, n_mfcc = m->cfg.n_mfcc;
    double *mean = m->mean_logmel;
    for (int j = 0; j < n_mels; j++)
        mean[j] = 0.0;
    for (size_t t = 0; t < n_frames; t++) {
        const float *row = m->logmel + t * (size_t)n_mels;
        for (int j = 0; j < n_mels; j++)
            mean[j] += row[j];
    }
    for (int k = 0; k < n_mfcc; k++) {
        double sum = 0.0;
        for (int j = 0; j < n_mels; j++)
            sum += (double)m->dct_t[(size_t)j * m->dct_cols + k] * mean[j];
        out[k] = (float)(sum / (double)n_frames);
    }
}

const float *mfcc_extractor_pooled(mfcc_extractor *m, const float *x, size_t n, double sr,
                                   size_t *frames, char *err, size_t errlen)
{
    size_t n_frames = logmel_frames(m, x, n, sr, err, errlen);
    if (!n_frames)
        return NULL;
    *frames = n_frames;
    const mfcc_pool pool = m->cfg.pool;
    const int n_mfcc = m->cfg.n_mfcc;
    if (pool != MFCC_POOL_MEAN)
        dct_frames(m, n_frames);
    if (pool == MFCC_POOL_NONE)
        return m->coef;
    if (pool == MFCC_POOL_MEANSTD)
        mfcc_pool_apply(pool, m->coef, n_frames, n_mfcc, m->pooled);
    /* The mean columns of meanstd are those of mean, so the two agree exactly. */
    dct_of_mean(m, n_frames, m->pooled);
    return m->pooled;
}

size_t mfcc_pool_rows(mfcc_pool p, size_t n_frames) { return p == MFCC_POOL_NONE ? n_frames : 1; }

size_t mfcc_pool_cols(mfcc_pool p, int n_mfcc)
{
    return p == MFCC_POOL_MEANSTD ? 2 * (size_t)n_mfcc : (size_t)n_mfcc;
}

void mfcc_pool_apply(mfcc_pool p, const float *frames, size_t n_frames, int n_mfcc, float *out)
{
    if (p == MFCC_POOL_NONE) {
        memcpy(out, frames, n_frames * (size_t)n_mfcc * sizeof *out);
        return;
    }
    for (int k = 0; k < n_mfcc; k++) {
        double sum = 0.0;
        for (size_t t = 0; t < n_frames; t++)
            sum += frames[t * n_mfcc + k];
        double mean = sum / (double)n_frames;
        out[k] = (float)mean;
        if (p == MFCC_POOL_MEANSTD) {
            double ss = 0.0;
            for (size_t t = 0; t < n_frames; t++) {
                double d = frames[t * n_mfcc + k] - mean;
                ss += d * d;
            }
            out[n_mfcc + k] = (float)sqrt(ss / (double)n_frames);
        }
    }
}
