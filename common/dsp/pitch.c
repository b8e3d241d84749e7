/* pitch.c - subharmonic-summation F0 candidates and their Viterbi smoothing; see pitch.h for
 * the method. Written from the definitions of openSMILE 3.0's components as eGeMAPS v02
 * configures them; the quirks kept on purpose are marked "as openSMILE". */
#include "dsp/pitch.h"

#include "base/cli.h"
#include "dsp/fftplan.h"
#include "dsp/simdclone.h"

#include <math.h>
#if DSP_AVX2_KERNELS
#include <immintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define SHS_MIN_F 25.0 /* lowest frequency of the log-frequency axis */
#define SHS_HARMONICS 15
#define SHS_BLOCK 16 /* bins summed at a time */
#define SHS_COMPRESSION 0.85f
#define PITCH_MIN_F0 55.0f
#define PITCH_MAX_F0 1000.0f
#define VOICING_CUTOFF 0.7f
#define RMS_GATE 0.001f
#define SPLINE_CHAINS 8

struct pitch_shs {
    double sr;
    size_t len, hop, nfft, nbins;
    float *window;
    float *frame;        /* fftwf_malloc'd, nfft */
    fftwf_complex *spec; /* fftwf_malloc'd, nbins */
    fftwf_plan plan;
    /* natural cubic spline from the linear bins onto the log2 axis */
    double *knot, *y2c, *inv_dx;
    double *ca, *cb; /* u[i] = ca[i] * (slope change at i) - cb[i] * u[i-1] */
    size_t warmup;   /* steps after which a recursion forgets its start; 0: run serially */
    size_t *klo;
    double *ea, *eb, *eca, *ecb;
    double *audw;              /* auditory weighting of the log-axis points */
    double *y, *y2, *enhanced; /* per-frame work */
    int avx2;                  /* the AVX2 evaluation runs (the CPU has it) */
    unsigned char *peak_flags;
    float *scaled, *sum;      /* log-axis spectrum (zero-padded) and its subharmonic sum */
    unsigned char *max_flags; /* the sum's local maxima, n padded to whole words */
    size_t shift[SHS_HARMONICS + 1];
    float weight[SHS_HARMONICS + 1]; /* 0.85^(h-1), as a float product */
    float fmin_t, fstep_t;
};

size_t pitch_frame_len(const pitch_shs *p) { return p->len; }
size_t pitch_hop(const pitch_shs *p) { return p->hop; }
size_t pitch_fft_bins(const pitch_shs *p) { return p->nbins; }
double pitch_rate(const pitch_shs *p) { return p->sr; }

pitch_shs *pitch_shs_create(double sr)
{
    if (!(sr >= 8000.0 && sr <= 384000.0))
        return NULL;
    pitch_shs *p = cli_xcalloc(1, sizeof *p);
    p->sr = sr;
    p->len = (size_t)lround(0.06 * sr);
    p->hop = (size_t)lround(0.01 * sr);
    p->nfft = fftplan_pow2(p->len);
    p->nbins = p->nfft / 2 + 1;
    size_t nb = p->nbins;

    /* openSMILE's Gaussian window: 0.5 at (1 - sigma) of the half length from the centre. */
    p->window = cli_xmalloc(p->len * sizeof *p->window);
    double half = (double)(p->len - 1) / 2.0;
    for (size_t i = 0; i < p->len; i++) {
        double t = ((double)i - half) / (0.4 * half);
        p->window[i] = (float)exp(-0.5 * t * t);
    }
    p->frame = fftplan_alloc(p->nfft * sizeof *p->frame, "pitch FFT");
    p->spec = fftplan_alloc(nb * sizeof *p->spec, "pitch FFT");
    p->plan = fftplan_r2c((int)p->nfft, p->frame, p->spec);

    /* Knots: log2 of each bin's frequency; bin 0 extrapolated one knot step below bin 1. */
    double df = sr / (double)p->nfft;
    p->knot = cli_xmalloc(nb * sizeof *p->knot);
    for (size_t i = 1; i < nb; i++)
        p->knot[i] = log((double)i * df) / log(2.0);
    p->knot[0] = 2.0 * p->knot[1] - p->knot[2];
    p->y2c = cli_xcalloc(nb, sizeof *p->y2c);
    p->inv_dx = cli_xcalloc(nb, sizeof *p->inv_dx);
    p->ca = cli_xcalloc(nb, sizeof *p->ca);
    p->cb = cli_xcalloc(nb, sizeof *p->cb);
    const double *x = p->knot;
    for (size_t i = 0; i + 1 < nb; i++)
        p->inv_dx[i] = 1.0 / (x[i + 1] - x[i]);
    for (size_t i = 1; i + 1 < nb; i++) {
        double sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
        double pp = sig * p->y2c[i - 1] + 2.0;
        p->y2c[i] = (sig - 1.0) / pp;
        p->ca[i] = 6.0 / (x[i + 1] - x[i - 1]) / pp;
        p->cb[i] = sig / pp;
    }
    /* The spline's two recursions multiply by cb and y2c (about 0.27 in size) at every step:
     * after `warmup` steps a start value is forgotten below 1e-20 of the result, so the
     * recursions can run as SPLINE_CHAINS interleaved chains, each warmed up over the end of
     * the previous segment (the last double-precision bit aside, as serial). */
    double worst = 0.0;
    for (size_t i = 1; i + 1 < nb; i++)
        worst = fmax(worst, fmax(fabs(p->cb[i]), fabs(p->y2c[i])));
    if (worst > 0.0 && worst < 0.6) {
        size_t w = (size_t)ceil(-20.0 / log10(worst));
        if (nb > SPLINE_CHAINS * 2 * (w + 2))
            p->warmup = w;
    }
    /* Targets: nb points evenly spaced in log2 frequency from 25 Hz to sr/2. */
    double fmin_t = log(SHS_MIN_F) / log(2.0), fmax_t = log(sr / 2.0) / log(2.0);
    double step_t = (fmax_t - fmin_t) / (double)(nb - 1);
    p->klo = cli_xmalloc(nb * sizeof *p->klo);
    p->ea = cli_xmalloc(nb * sizeof *p->ea);
    p->eb = cli_xmalloc(nb * sizeof *p->eb);
    p->eca = cli_xmalloc(nb * sizeof *p->eca);
    p->ecb = cli_xmalloc(nb * sizeof *p->ecb);
    for (size_t j = 0; j < nb; j++) {
        double t = fmin_t + (double)j * step_t;
        size_t lo = 0, hi = nb - 1;
        while (hi - lo > 1) {
            size_t k = (hi + lo) >> 1;
            if (x[k] > t)
                hi = k;
            else
                lo = k;
        }
        double h = x[hi] - x[lo];
        double a = (x[hi] - t) / h, b = (t - x[lo]) / h;
        p->klo[j] = lo;
        p->ea[j] = a;
        p->eb[j] = b;
        p->eca[j] = (a * a * a - a) * h * h / 6.0;
        p->ecb[j] = (b * b * b - b) * h * h / 6.0;
    }
    double octaves = log((sr / 2.0) / SHS_MIN_F) / log(2.0);
    double per_octave = (double)nb / octaves;
    p->audw = cli_xmalloc(nb * sizeof *p->audw);
    double atan_s = per_octave * (log(65.0 / 50.0) / log(2.0)) - 1.0;
    for (size_t j = 0; j < nb; j++)
        p->audw[j] = 0.5 + atan(3.0 * ((double)j + 1.0 - atan_s) / per_octave) / M_PI;
    /* openSMILE passes the axis description on as single-precision floats. */
    float per_octave_f = (float)per_octave;
    float weight = SHS_COMPRESSION;
    for (int h = 2; h <= SHS_HARMONICS; h++) {
        p->shift[h] = (size_t)floor((double)per_octave_f * (log((double)h) / log(2.0)));
        p->weight[h] = weight;
        weight *= SHS_COMPRESSION;
    }
    p->fmin_t = (float)fmin_t;
    p->fstep_t = ((float)fmax_t - (float)fmin_t) / (float)(nb - 1);

    p->y = cli_xmalloc(nb * sizeof *p->y);
    p->y2 = cli_xmalloc(nb * sizeof *p->y2);
#if DSP_AVX2_KERNELS
    p->avx2 = __builtin_cpu_supports("avx2");
#endif
    p->enhanced = cli_xmalloc(nb * sizeof *p->enhanced);
    p->peak_flags = cli_xmalloc(nb + 4);
    /* The sum runs in whole blocks and reads the log-axis spectrum up to the longest shift
     * past each: both are padded, the spectrum with zeros that no frame overwrites. */
    size_t nblocks = (nb + SHS_BLOCK - 1) / SHS_BLOCK;
    p->scaled = cli_xcalloc(nblocks * SHS_BLOCK + p->shift[SHS_HARMONICS], sizeof *p->scaled);
    p->sum = cli_xmalloc(nblocks * SHS_BLOCK * sizeof *p->sum);
    p->max_flags = cli_xcalloc(nblocks * SHS_BLOCK, 1);
    return p;
}

void pitch_shs_portable(pitch_shs *p) { p->avx2 = 0; }

void pitch_shs_free(pitch_shs *p)
{
    if (!p)
        return;
    fftplan_destroy(p->plan);
    fftwf_free(p->frame);
    fftwf_free(p->spec);
    free(p->window);
    free(p->knot);
    free(p->y2c);
    free(p->inv_dx);
    free(p->ca);
    free(p->cb);
    free(p->klo);
    free(p->ea);
    free(p->eb);
    free(p->eca);
    free(p->ecb);
    free(p->audw);
    free(p->y);
    free(p->y2);
    free(p->enhanced);
    free(p->peak_flags);
    free(p->scaled);
    free(p->sum);
    free(p->max_flags);
    free(p);
}

/* a[0..n-1] = the magnitudes m with each spectral peak and its two neighbours on either side
 * kept and what lies between two peaks zeroed (a single peak keeps only bins 0..2, as
 * openSMILE). A bin between the first and the last peak is zeroed exactly when no peak lies
 * within two bins of it, which is what makes both passes free of data-dependent branches.
 * pk has n + 4 bytes of scratch. */
static DSP_SIMD_INLINE void enhance_peaks(double *a, const float *m, size_t n, unsigned char *pk)
{
    unsigned char *is_peak = pk + 2; /* two zero flags before bin 0 and after bin n-1 */
    pk[0] = pk[1] = pk[n + 2] = pk[n + 3] = 0;
    is_peak[0] = m[0] > m[1];
    for (size_t i = 1; i + 1 < n; i++)
        is_peak[i] = (m[i] > m[i - 1]) & (m[i] >= m[i + 1]);
    is_peak[n - 1] = m[n - 1] > m[n - 2];
    size_t np = 0, first = n, last = 0;
    for (size_t i = 0; i < n; i++)
        np += is_peak[i];
    if (np == 1) {
        for (size_t j = 0; j < n; j++)
            a[j] = j < 3 ? m[j] : 0.0;
        return;
    }
    if (np > 1) {
        for (first = 0; !is_peak[first]; first++)
            ;
        for (last = n - 1; !is_peak[last]; last--)
            ;
    }
    /* up to the first peak and from the last one on: as they are */
    for (size_t j = 0, end = first < n ? first + 1 : n; j < end; j++)
        a[j] = m[j];
    for (size_t j = last > first ? last : n; j < n; j++)
        a[j] = m[j];
    /* in between: a bin's bits masked by whether a peak lies within two bins */
    for (size_t j = first + 1; j < last; j++) {
        uint32_t bits, near = pk[j] | pk[j + 1] | pk[j + 2] | pk[j + 3] | pk[j + 4];
        memcpy(&bits, &m[j], sizeof bits);
        bits &= 0u - (uint32_t)(near != 0);
        float v;
        memcpy(&v, &bits, sizeof v);
        a[j] = v;
    }
}

/* s = e smoothed by a [1 2 1]/4 kernel, e[-1] taken as 0, the last value kept. */
static DSP_SIMD_INLINE void smooth_121(const double *e, double *s, size_t n)
{
    s[0] = (2.0 * e[0] + e[1]) * 0.25; /* 0 + 2 e0 + e1: adding 0 first changes nothing */
    for (size_t i = 1; i + 1 < n; i++)
        s[i] = (e[i - 1] + 2.0 * e[i] + e[i + 1]) * 0.25;
    s[n - 1] = e[n - 1];
}

double dsp_parabola_peak(double x1, double y1, double x2, double y2, double x3, double y3,
                         double *peak)
{
    double den =
        x1 * x1 * x2 + x2 * x2 * x3 + x3 * x3 * x1 - x3 * x3 * x2 - x2 * x2 * x1 - x1 * x1 * x3;
    if (den != 0.0) {
        double a = (y1 * x2 + y2 * x3 + y3 * x1 - y3 * x2 - y2 * x1 - y1 * x3) / den;
        double b = (x1 * x1 * y2 + x2 * x2 * y3 + x3 * x3 * y1 - x3 * x3 * y2 - x2 * x2 * y1 -
                    x1 * x1 * y3) /
                   den;
        double c = (x1 * x1 * x2 * y3 + x2 * x2 * x3 * y1 + x3 * x3 * x1 * y2 - x3 * x3 * x2 * y1 -
                    x2 * x2 * x1 * y3 - x1 * x1 * x3 * y2) /
                   den;
        if (a != 0.0) {
            double x = -b / (2.0 * a);
            if (peak)
                *peak = c - a * x * x;
            return x;
        }
    }
    double x = x1, y = y1;
    if (y1 > y2 && y1 > y3) {
        x = x1;
        y = y1;
    } else if (y2 > y1 && y2 > y3) {
        x = x2;
        y = y2;
    } else if (y3 > y1 && y3 > y2) {
        x = x3;
        y = y3;
    }
    if (peak)
        *peak = y;
    return x;
}

/* The spline's forward elimination (u) and back substitution (y2) over indices lo..hi-1,
 * serially, from u[lo-1] and y2[hi], in one array d: it holds the slope changes, then u, then
 * y2 (each value read before its place is overwritten). */
static DSP_SIMD_INLINE void spline_recursions(const pitch_shs *p, double *d, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        d[i] -= p->cb[i] * d[i - 1];
    for (size_t k = hi; k-- > lo - 1;)
        d[k] = p->y2c[k] * d[k + 1] + d[k];
}

/* The same over 1..nb-2 as SPLINE_CHAINS chains advanced in lockstep, so that their
 * multiply-adds overlap instead of waiting on each other. Chain c owns a segment; it starts
 * `warmup` steps early with 0 (the first chain from the true start). The loops over the chains
 * are unrolled so that the chains' values stay in registers. */
static DSP_SIMD_INLINE void spline_recursions_chained(const pitch_shs *p, double *d)
{
    double *u = d, *y2 = d; /* one array, as in spline_recursions */
    enum { C = SPLINE_CHAINS };
    size_t nb = p->nbins, w = p->warmup, m = nb - 2; /* indices 1..nb-2 */
    size_t seg = m / C;
    const double *cb = p->cb, *y2c = p->y2c;
    /* forward: chain c runs over 1 + c seg ..; chains 1.. warm up over the w before */
    double v[C];
    v[0] = u[0];
#pragma GCC unroll 8
    for (int c = 1; c < C; c++)
        v[c] = 0.0;
    for (size_t k = 0; k < w; k++)
#pragma GCC unroll 8
        for (int c = 1; c < C; c++) {
            size_t i = 1 + c * seg - w + k;
            v[c] = u[i] - cb[i] * v[c];
        }
    /* u[i] is read before being overwritten in each chain's own segment only */
    for (size_t k = 0; k < seg; k++)
#pragma GCC unroll 8
        for (int c = 0; c < C; c++) {
            size_t i = 1 + c * seg + k;
            v[c] = u[i] - cb[i] * v[c];
            u[i] = v[c];
        }
    for (size_t i = 1 + C * seg; i < nb - 1; i++) /* the remainder */
        u[i] -= cb[i] * u[i - 1];
        /* backward: chain c ends its segment at 1 + c seg (one past its top: the next chain's
         * start); the last chain starts at the true end and is longer by the remainder, finished
         * serially below */
#pragma GCC unroll 8
    for (int c = 0; c < C - 1; c++)
        v[c] = 0.0;
    v[C - 1] = y2[nb - 1];
    for (size_t k = 0; k < w; k++)
#pragma GCC unroll 8
        for (int c = 0; c < C - 1; c++) {
            size_t i = 1 + (c + 1) * seg + w - 1 - k;
            v[c] = y2c[i] * v[c] + u[i];
        }
    for (size_t k = 0; k < seg; k++)
#pragma GCC unroll 8
        for (int c = 0; c < C; c++) {
            size_t top = c + 1 < C ? 1 + (c + 1) * seg : nb - 1;
            size_t i = top - 1 - k;
            v[c] = y2c[i] * v[c] + u[i];
            y2[i] = v[c];
        }
    for (size_t k = nb - 1 - seg; k-- > 1 + (C - 1) * seg;)
        y2[k] = y2c[k] * y2[k + 1] + u[k];
    y2[0] = y2c[0] * y2[1] + u[0];
}

/* scaled[j] for j = from..nb-1: the spline at log-axis point j (between knots klo[j] and
 * klo[j] + 1), clipped at 0 and weighted. The clip masks the bits (the weight is positive):
 * the sign of the spline between peaks is as good as random, and a branch on it mispredicts
 * half the time. */
static DSP_SIMD_INLINE void eval_spline(pitch_shs *p, size_t from)
{
    const size_t *klo = p->klo;
    const double *ea = p->ea, *eb = p->eb, *eca = p->eca, *ecb = p->ecb, *audw = p->audw;
    const double *y = p->y, *y2 = p->y2;
    float *scaled = p->scaled;
    for (size_t j = from; j < p->nbins; j++) {
        size_t lo = klo[j];
        double v = ea[j] * y[lo] + eb[j] * y[lo + 1] + eca[j] * y2[lo] + ecb[j] * y2[lo + 1];
        float vf = (float)v, w = (float)((double)vf * audw[j]);
        uint32_t bits;
        memcpy(&bits, &w, sizeof bits);
        bits &= 0u - (uint32_t)(vf > 0.0f);
        memcpy(&scaled[j], &bits, sizeof bits);
    }
}

#if DSP_AVX2_KERNELS
/* eval_spline four points at a time. The two values of y a point needs are adjacent, and so
 * are the two of y2: one 128-bit load each, two points to a vector (points 0 and 2, 1 and 3),
 * and an unpack gives the four points' y[lo], y[lo + 1], y2[lo] and y2[lo + 1] as vectors.
 * The same operations in the same order as eval_spline, lane by lane (no fused
 * multiply-add): the same bits. */
__attribute__((target("avx2"))) static void eval_avx2(pitch_shs *p)
{
    size_t nb = p->nbins, j = 0;
    const double *y = p->y, *y2 = p->y2;
    const double *ea = p->ea, *eb = p->eb, *eca = p->eca, *ecb = p->ecb, *audw = p->audw;
    float *scaled = p->scaled;
    const size_t *klo = p->klo;
    const __m128 zero = _mm_setzero_ps();
    for (; j + 4 <= nb; j += 4) {
        size_t k0 = klo[j], k1 = klo[j + 1], k2 = klo[j + 2], k3 = klo[j + 3];
        __m256d a = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(y + k0)),
                                         _mm_loadu_pd(y + k2), 1);
        __m256d b = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(y + k1)),
                                         _mm_loadu_pd(y + k3), 1);
        __m256d a2 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(y2 + k0)),
                                          _mm_loadu_pd(y2 + k2), 1);
        __m256d b2 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(y2 + k1)),
                                          _mm_loadu_pd(y2 + k3), 1);
        __m256d ylo = _mm256_unpacklo_pd(a, b), yhi = _mm256_unpackhi_pd(a, b);
        __m256d y2lo = _mm256_unpacklo_pd(a2, b2), y2hi = _mm256_unpackhi_pd(a2, b2);
        __m256d v = _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(ea + j), ylo),
                                  _mm256_mul_pd(_mm256_loadu_pd(eb + j), yhi));
        v = _mm256_add_pd(v, _mm256_mul_pd(_mm256_loadu_pd(eca + j), y2lo));
        v = _mm256_add_pd(v, _mm256_mul_pd(_mm256_loadu_pd(ecb + j), y2hi));
        __m128 vf = _mm256_cvtpd_ps(v);
        __m128 w = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtps_pd(vf), _mm256_loadu_pd(audw + j)));
        _mm_storeu_ps(scaled + j, _mm_and_ps(w, _mm_cmpgt_ps(vf, zero)));
    }
    eval_spline(p, j);
}
#endif

static DSP_SIMD_INLINE void log_axis_spectrum(pitch_shs *p, const float *mag)
{
    size_t nb = p->nbins;
    double *y = p->y, *y2 = p->y2, *e = p->enhanced;
    enhance_peaks(e, mag, nb, p->peak_flags);
    smooth_121(e, y, nb);
    /* natural cubic spline through (knot[i], y[i]) */
    /* the slope changes first (a vectorisable pass), then the recursions turn them into the
     * second derivatives y2 in place */
    y2[0] = 0.0;
    for (size_t i = 1; i + 1 < nb; i++)
        y2[i] =
            p->ca[i] * ((y[i + 1] - y[i]) * p->inv_dx[i] - (y[i] - y[i - 1]) * p->inv_dx[i - 1]);
    y2[nb - 1] = 0.0;
    if (p->warmup)
        spline_recursions_chained(p, y2);
    else
        spline_recursions(p, y2, 1, nb - 1);
#if DSP_AVX2_KERNELS
    if (p->avx2) {
        eval_avx2(p);
        return;
    }
#endif
    eval_spline(p, 0);
}

/* The offset of the first set byte flag (0 or 1 each) among the eight loaded into *flags, in
 * memory order; the flag is cleared. */
static inline size_t next_flag(uint64_t *flags)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    size_t at = (size_t)__builtin_ctzll(*flags) / 8;
    *flags &= *flags - 1;
#else
    unsigned char b[8];
    memcpy(b, flags, sizeof b);
    size_t at = 0;
    while (!b[at])
        at++;
    b[at] = 0;
    memcpy(flags, b, sizeof b);
#endif
    return at;
}

/* The PITCH_NCAND highest of the flagged maxima of ss into idx and score, highest first (ties:
 * the lower bin first); returns how many there are. idx and score come zeroed. */
static DSP_SIMD_INLINE int rank_maxima(const float *ss, const unsigned char *is_max, size_t n,
                                       float *idx, float *score)
{
    int ncand = 0;
    /* Only a peak above the lowest of the six kept can enter (peaks are > 0, empty slots 0). */
    float lowest = 0.0f;
    for (size_t word = 0; word < n; word += 8) {
        uint64_t flags;
        memcpy(&flags, is_max + word, sizeof flags);
        while (flags) {
            size_t i = word + next_flag(&flags);
            if (!(ss[i] > lowest))
                continue;
            for (int j = 0; j < PITCH_NCAND; j++) {
                if (score[j] == 0.0f || score[j] < ss[i]) {
                    for (int k = PITCH_NCAND - 1; k > j; k--) {
                        score[k] = score[k - 1];
                        idx[k] = idx[k - 1];
                    }
                    idx[j] = (float)i;
                    score[j] = ss[i];
                    if (ncand < PITCH_NCAND)
                        ncand++;
                    lowest = score[PITCH_NCAND - 1];
                    break;
                }
            }
        }
    }
    return ncand;
}

/* ss[j] = in[j] + sum over h of in[j + shift h] * 0.85^(h-1), added in order of h (a term past
 * the end adds 0, which changes nothing), a block of bins at a time so that each sum stays in
 * registers over all the harmonics; then the mean of ss, from four partial sums (lane j mod 4,
 * the tail in lane 0). */
static DSP_SIMD_INLINE double shs_sums(pitch_shs *p)
{
    size_t n = p->nbins;
    const float *in = p->scaled; /* zero past n, as far as the longest shift reaches */
    float *ss = p->sum;
    for (size_t j0 = 0; j0 < n; j0 += SHS_BLOCK) {
        float acc[SHS_BLOCK];
        const float *a = in + j0, *b = in + j0 + p->shift[2];
        for (int k = 0; k < SHS_BLOCK; k++)
            acc[k] = a[k] + b[k] * p->weight[2];
        for (int h = 3; h <= SHS_HARMONICS; h++) {
            const float *sh = in + j0 + p->shift[h];
            float w = p->weight[h];
            for (int k = 0; k < SHS_BLOCK; k++)
                acc[k] += sh[k] * w;
        }
        for (int k = 0; k < SHS_BLOCK; k++) {
            float v = acc[k] / (float)SHS_HARMONICS;
            ss[j0 + k] = v < 0.0f ? 0.0f : v;
        }
    }
    double m4[4] = {0.0, 0.0, 0.0, 0.0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++)
            m4[k] += ss[i + k];
    for (; i < n; i++)
        m4[0] += ss[i];
    return ((m4[0] + m4[1]) + (m4[2] + m4[3])) / (double)n;
}

#if DSP_AVX2_KERNELS
/* shs_sums with the block's sums in two vectors and the partial sums of the mean in a third,
 * added to as each block is done: the chain of those additions overlaps the next block's
 * arithmetic instead of running alone after the sums. The same operations in the same order,
 * lane by lane (no fused multiply-add). The padding past n adds +0.0 (the sums of the zeros
 * there), which changes no partial sum (sums of values >= 0 or NaN); as n = 4 k + 1 (nbins of
 * a power-of-two FFT), bin n - 1 still comes last in lane 0, as the tail. */
__attribute__((target("avx2"))) static double shs_sums_avx2(pitch_shs *p)
{
    size_t n = p->nbins;
    const float *in = p->scaled;
    float *ss = p->sum;
    const __m256 harmonics = _mm256_set1_ps((float)SHS_HARMONICS), zero = _mm256_setzero_ps();
    __m256d m4 = _mm256_setzero_pd();
    for (size_t j0 = 0; j0 < n; j0 += SHS_BLOCK) {
        const float *a = in + j0, *b = in + j0 + p->shift[2];
        __m256 w = _mm256_set1_ps(p->weight[2]);
        __m256 acc0 = _mm256_add_ps(_mm256_loadu_ps(a), _mm256_mul_ps(_mm256_loadu_ps(b), w));
        __m256 acc1 =
            _mm256_add_ps(_mm256_loadu_ps(a + 8), _mm256_mul_ps(_mm256_loadu_ps(b + 8), w));
        for (int h = 3; h <= SHS_HARMONICS; h++) {
            const float *sh = in + j0 + p->shift[h];
            w = _mm256_set1_ps(p->weight[h]);
            acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(_mm256_loadu_ps(sh), w));
            acc1 = _mm256_add_ps(acc1, _mm256_mul_ps(_mm256_loadu_ps(sh + 8), w));
        }
        __m256 v0 = _mm256_div_ps(acc0, harmonics), v1 = _mm256_div_ps(acc1, harmonics);
        v0 = _mm256_andnot_ps(_mm256_cmp_ps(v0, zero, _CMP_LT_OQ), v0); /* v < 0 ? 0 : v */
        v1 = _mm256_andnot_ps(_mm256_cmp_ps(v1, zero, _CMP_LT_OQ), v1);
        _mm256_storeu_ps(ss + j0, v0);
        _mm256_storeu_ps(ss + j0 + 8, v1);
        m4 = _mm256_add_pd(m4, _mm256_cvtps_pd(_mm256_castps256_ps128(v0)));
        m4 = _mm256_add_pd(m4, _mm256_cvtps_pd(_mm256_extractf128_ps(v0, 1)));
        m4 = _mm256_add_pd(m4, _mm256_cvtps_pd(_mm256_castps256_ps128(v1)));
        m4 = _mm256_add_pd(m4, _mm256_cvtps_pd(_mm256_extractf128_ps(v1, 1)));
    }
    double m[4];
    _mm256_storeu_pd(m, m4);
    return ((m[0] + m[1]) + (m[2] + m[3])) / (double)n;
}
#endif

static DSP_SIMD_INLINE void shs_candidates(pitch_shs *p, pitch_cands *c)
{
    size_t n = p->nbins;
    const float *ss = p->sum;
    double mean;
#if DSP_AVX2_KERNELS
    if (p->avx2 && n % 4 == 1)
        mean = shs_sums_avx2(p);
    else
#endif
        mean = shs_sums(p);
    /* the PITCH_NCAND highest peaks, highest first */
    float idx[PITCH_NCAND] = {0}, score[PITCH_NCAND] = {0}, voice[PITCH_NCAND] = {0};
    int ncand = 0;
    size_t i;
    /* The local maxima as flags first (a vector pass), then the ranking of those few, found
     * eight flags at a time (bins 0 and n-1, and the padding, are never maxima). The six kept
     * are the highest maxima (ties: the lowest bin first), so maxima below a threshold that
     * six of them pass could never be kept: only those above the mean are flagged, unless
     * fewer than six are, when all are ranked again. */
    unsigned char *is_max = p->max_flags;
    for (float floor_v = (float)mean;; floor_v = 0.0f) {
        for (i = 1; i + 1 < n; i++)
            is_max[i] = (ss[i] > ss[i + 1]) & (ss[i - 1] < ss[i]) & (ss[i] > floor_v);
        ncand = rank_maxima(ss, is_max, n, idx, score);
        if (ncand == PITCH_NCAND || floor_v == 0.0f)
            break;
        memset(idx, 0, sizeof idx);
        memset(score, 0, sizeof score);
    }
    for (int k = 0; k < ncand; k++) {
        size_t j = (size_t)idx[k];
        float f1 = idx[k] * p->fstep_t + p->fmin_t;
        float f2 = (idx[k] + 1.0f) * p->fstep_t + p->fmin_t;
        float f0 = (idx[k] - 1.0f) * p->fstep_t + p->fmin_t;
        double sc = 0.0;
        double fx = dsp_parabola_peak(f0, ss[j - 1], f1, ss[j], f2, ss[j + 1], &sc);
        idx[k] = (float)exp(fx * log(2.0));
        score[k] = (float)sc;
        voice[k] = (sc > 0.0 && sc > mean) ? (float)(1.0 - mean / sc) : 0.0f;
    }
    /* drop candidates outside the F0 range (empty slots move to the end) */
    for (int k = 0; k < PITCH_NCAND && ncand > 0; k++) {
        if (idx[k] > PITCH_MAX_F0 || idx[k] < PITCH_MIN_F0) {
            float orig = idx[k];
            int m;
            for (m = k + 1; m < PITCH_NCAND; m++) {
                idx[m - 1] = idx[m];
                voice[m - 1] = voice[m];
                score[m - 1] = score[m];
            }
            idx[m - 1] = voice[m - 1] = score[m - 1] = 0.0f;
            if (orig > 0.0f) {
                ncand--;
                k--;
            }
        }
    }
    int best = 0;
    for (int k = 1; k < PITCH_NCAND; k++)
        if (score[k] > score[best])
            best = k;
    if (best > 0) {
        float t;
        t = idx[0];
        idx[0] = idx[best];
        idx[best] = t;
        t = voice[0];
        voice[0] = voice[best];
        voice[best] = t;
        t = score[0];
        score[0] = score[best];
        score[best] = t;
    }
    for (int k = 0; k < PITCH_NCAND; k++) {
        c->f0[k] = idx[k];
        c->voicing[k] = voice[k];
    }
    int voiced = voice[0] > VOICING_CUTOFF;
    c->f0raw = voiced ? idx[0] : 0.0f;
    c->voicing_clip = voiced ? voice[0] : 0.0f;
}

#if DSP_AVX2_KERNELS
/* The magnitudes of the spectrum into mag and the energy of the windowed samples fr[0..m-1]
 * (returned) in one loop: the energy's four partial sums (lane i mod 4, the tail in lane 0)
 * are a chain of additions that would run alone; here about three of its steps ride along
 * with each eight magnitudes, whose square roots keep another unit busy. The same operations
 * in the same order as frame_magnitude's loops, lane by lane. */
__attribute__((target("avx2"))) static double
magnitude_energy_avx2(const pitch_shs *p, const float *fr, size_t m, float *mag)
{
    size_t nb = p->nbins, steps = m / 4, s = 0, k = 0;
    const float *spec = &p->spec[0][0];
    size_t per_block = nb >= 8 ? (steps + nb / 8 - 1) / (nb / 8) : steps;
    __m256d e4 = _mm256_setzero_pd();
    for (; k + 8 <= nb; k += 8) {
        __m256 a = _mm256_loadu_ps(spec + 2 * k), b = _mm256_loadu_ps(spec + 2 * k + 8);
        /* re^2 + im^2 of bins k..k+3 (from a) and k+4..k+7 (from b), then in bin order */
        __m256 sum = _mm256_hadd_ps(_mm256_mul_ps(a, a), _mm256_mul_ps(b, b));
        sum = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(sum), 0xd8));
        _mm256_storeu_ps(mag + k, _mm256_sqrt_ps(sum));
        for (size_t e = 0; e < per_block && s < steps; e++, s++) {
            __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(fr + 4 * s));
            e4 = _mm256_add_pd(e4, _mm256_mul_pd(v, v));
        }
    }
    for (; k < nb; k++)
        mag[k] = sqrtf(spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]);
    for (; s < steps; s++) {
        __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(fr + 4 * s));
        e4 = _mm256_add_pd(e4, _mm256_mul_pd(v, v));
    }
    double e[4];
    _mm256_storeu_pd(e, e4);
    for (size_t i = 4 * steps; i < m; i++)
        e[0] += (double)fr[i] * fr[i];
    return (e[0] + e[1]) + (e[2] + e[3]);
}
#endif

static DSP_SIMD_INLINE void frame_magnitude(pitch_shs *p, const float *x, size_t n, size_t start,
                                            float *mag, float *rms)
{
    size_t pad = (p->nfft - p->len) / 2;
    size_t avail = start < n ? n - start : 0;
    size_t m = avail < p->len ? avail : p->len;
    float *fr = p->frame + pad;
    /* zeros around the windowed samples (the samples overwrite the rest) */
    memset(p->frame, 0, pad * sizeof *p->frame);
    memset(fr + m, 0, (p->nfft - pad - m) * sizeof *p->frame);
    for (size_t i = 0; i < m; i++)
        fr[i] = x[start + i] * p->window[i];
#if DSP_AVX2_KERNELS
    if (p->avx2) { /* the FFT leaves its input as it is (FFTW_PRESERVE_INPUT, its default) */
        fftwf_execute(p->plan);
        double energy = magnitude_energy_avx2(p, fr, m, mag);
        if (rms)
            *rms = (float)sqrt(energy / (double)p->len);
        return;
    }
#endif
    double e4[4] = {0.0, 0.0, 0.0, 0.0};
    size_t i = 0;
    for (; i + 4 <= m; i += 4)
        for (int k = 0; k < 4; k++)
            e4[k] += (double)fr[i + k] * fr[i + k];
    for (; i < m; i++)
        e4[0] += (double)fr[i] * fr[i];
    double energy = (e4[0] + e4[1]) + (e4[2] + e4[3]);
    if (rms)
        *rms = (float)sqrt(energy / (double)p->len);
    fftwf_execute(p->plan);
    for (size_t k = 0; k < p->nbins; k++)
        mag[k] = sqrtf(p->spec[k][0] * p->spec[k][0] + p->spec[k][1] * p->spec[k][1]);
}

/* The entry points run their frame through one of two compiled copies (dsp/simdclone.h). */
DSP_SIMD_CLONES static void magnitude_frame(pitch_shs *p, const float *x, size_t n, size_t start,
                                            float *mag, float *rms)
{
    frame_magnitude(p, x, n, start, mag, rms);
}

DSP_SIMD_CLONES static void shs_frame(pitch_shs *p, const float *x, size_t n, size_t start,
                                      pitch_cands *c, float *mag)
{
    /* Without mag, the magnitudes go to `scaled`: log_axis_spectrum copies them out first. */
    float *m = mag ? mag : p->scaled;
    frame_magnitude(p, x, n, start, m, &c->rms);
    log_axis_spectrum(p, m);
    shs_candidates(p, c);
}

void pitch_frame_magnitude(pitch_shs *p, const float *x, size_t n, size_t start, float *mag,
                           float *rms)
{
    magnitude_frame(p, x, n, start, mag, rms);
}

void pitch_shs_frame(pitch_shs *p, const float *x, size_t n, size_t start, pitch_cands *c,
                     float *mag)
{
    shs_frame(p, x, n, start, c, mag);
}

/* ---- Viterbi smoothing ---- */

#define VIT_STATES (PITCH_NCAND + 1) /* the candidates and "unvoiced" */
#define VIT_BUFLEN 40
#define W_LOCAL 2.0
#define W_TVV 10.0
#define W_TVVD 10.0 /* openSMILE's setWeights copies wTvv here, ignoring wTvvd = 5 */
#define W_TVUV 10.0
#define W_THR 4.0
#define W_RANGE 1.0

static double range_weight(float f)
{
    if (f > 0.0f && f < 100.0f)
        return -(1.0 / 100.0) * f + 1.0;
    if (f >= 100.0f && f < 350.0f)
        return 0.0;
    if (f >= 350.0f && f < 600.0f)
        return (f - 350.0) / 250.0;
    if (f >= 600.0f)
        return 1.2;
    return 2.0;
}

/* voicing slot j of a frame: the candidates', then (j = PITCH_NCAND) the clipped voicing */
static float slot_voicing(const pitch_cands *c, int j)
{
    return j < PITCH_NCAND ? c->voicing[j] : c->voicing_clip;
}

static double local_cost(int i, const pitch_cands *c)
{
    if (i < PITCH_NCAND) {
        double pv = c->voicing[i];
        if (pv < 0.01)
            pv = 0.01;
        if (pv > 1.0)
            pv = 1.0;
        double thr = pv < VOICING_CUTOFF ? W_THR : 0.0;
        return (-log(pv) + thr) * W_LOCAL + range_weight(c->f0[i]) * W_RANGE;
    }
    for (int j = 0; j < VIT_STATES; j++)
        if (slot_voicing(c, j) >= VOICING_CUTOFF)
            return W_LOCAL * W_THR;
    return 0.0;
}

/* Transition from state j of the previous frame to state i of this one. last_change is the
 * log-frequency step of the most recently evaluated voiced pair, as openSMILE keeps it: one
 * value carried through the whole search, not one per path. */
static double transition_cost(int i, int j, const pitch_cands *prev, const pitch_cands *cur,
                              double *last_change)
{
    int iv = i < PITCH_NCAND, jv = j < PITCH_NCAND;
    if (iv && jv) {
        float f0 = prev->f0[j], f1 = cur->f0[i];
        if (f0 == 0.0f || f1 == 0.0f)
            return 999.0;
        double r = log((double)(f1 / f0));
        double cost = W_TVV * fabs(r) + W_TVVD * fabs(r - *last_change);
        *last_change = r;
        return cost;
    }
    if (iv != jv) {
        *last_change = 0.0;
        return W_TVUV;
    }
    return 1.0; /* unvoiced to unvoiced: openSMILE's wTuu test never matches */
}

void pitch_viterbi(const pitch_cands *c, size_t nframes, float *f0)
{
    if (nframes == 0)
        return;
    int *paths[2];
    paths[0] = cli_xmalloc(sizeof(int) * VIT_STATES * VIT_BUFLEN);
    paths[1] = cli_xmalloc(sizeof(int) * VIT_STATES * VIT_BUFLEN);
    int *best = cli_xmalloc(nframes * sizeof *best);
    double cost[VIT_STATES] = {0}, cost_new[VIT_STATES], tmp[VIT_STATES];
    double last_change = 1.0;
    int buf = 0;
    long path_idx = 0, conv = -1;
    for (size_t t = 0; t < nframes; t++) {
        if (path_idx == 0) {
            for (int i = 0; i < VIT_STATES; i++) {
                cost[i] = local_cost(i, &c[t]);
                paths[buf][i * VIT_BUFLEN] = i;
            }
        } else {
            int nb = 1 - buf;
            for (int i = 0; i < VIT_STATES; i++) {
                int min_state = 0;
                double min_cost = tmp[0] =
                    transition_cost(i, 0, &c[t - 1], &c[t], &last_change) + cost[0];
                for (int j = 1; j < VIT_STATES; j++) {
                    tmp[j] = transition_cost(i, j, &c[t - 1], &c[t], &last_change) + cost[j];
                    if (tmp[j] < min_cost) {
                        min_state = j;
                        min_cost = tmp[j];
                    }
                }
                cost_new[i] = min_cost + local_cost(i, &c[t]);
                memcpy(paths[nb] + i * VIT_BUFLEN, paths[buf] + min_state * VIT_BUFLEN,
                       VIT_BUFLEN * sizeof(int));
                paths[nb][i * VIT_BUFLEN + path_idx % VIT_BUFLEN] = i;
            }
            memcpy(cost, cost_new, sizeof cost);
            buf = nb;
        }
        path_idx++;
        if (path_idx - conv > VIT_BUFLEN) {
            /* forced decision on the oldest frame, from the currently cheapest path */
            int m = 0;
            for (int i = 1; i < VIT_STATES; i++)
                if (cost[i] < cost[m])
                    m = i;
            conv++;
            best[conv] = paths[buf][m * VIT_BUFLEN + conv % VIT_BUFLEN];
        } else {
            for (long k = conv + 1; k < path_idx; k++) {
                int s = paths[buf][k % VIT_BUFLEN], same = 1;
                for (int i = 1; i < VIT_STATES && same; i++)
                    same = paths[buf][i * VIT_BUFLEN + k % VIT_BUFLEN] == s;
                if (!same)
                    break;
                conv++;
                best[conv] = s;
            }
        }
    }
    int m = 0;
    for (int i = 1; i < VIT_STATES; i++)
        if (cost[i] < cost[m])
            m = i;
    for (long k = conv + 1; k < path_idx; k++)
        best[k] = paths[buf][m * VIT_BUFLEN + k % VIT_BUFLEN];
    for (size_t t = 0; t < nframes; t++) {
        int s = best[t];
        float f = s < PITCH_NCAND ? c[t].f0[s] : 0.0f;
        f0[t] = c[t].rms > RMS_GATE ? f : 0.0f;
    }
    free(paths[0]);
    free(paths[1]);
    free(best);
}
