/* voice.c - the eGeMAPS v02 voice-source LLDs: pitch (pitch.c), formants (formant.c), and here
 * jitter and shimmer from the waveform, HNR from the autocorrelation, harmonic levels from the
 * spectrum, and openSMILE's sma3nz smoothing. Written from the definitions of openSMILE 3.0's
 * cPitchJitter, cHarmonics and cContourSmoother as eGeMAPS v02 configures them. */
#include "dsp/voice.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/fftplan.h"
#include "dsp/formant.h"
#include "dsp/pitch.h"
#include "dsp/simdclone.h"

#include <math.h>
#if DSP_AVX2_KERNELS
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#define N_HARMONICS 100
#define JITTER_RANGE 0.10 /* period search range, relative */
#define JITTER_MIN_CC 0.5 /* periods correlating less are not counted */
#define JITTER_MIN_PERIODS 2
#define LOG_REL_FLOOR (-201.0f)
#define MAG_CACHE_FLOATS ((size_t)8 << 20) /* 32 MB: about 40 s at 48 kHz */

static const char *const lld_names[VOICE_NLLD] = {
    "F0semitoneFrom27.5Hz_sma3nz", "jitterLocal_sma3nz",
    "shimmerLocaldB_sma3nz",       "HNRdBACF_sma3nz",
    "logRelF0-H1-H2_sma3nz",       "logRelF0-H1-A3_sma3nz",
    "F1frequency_sma3nz",          "F1bandwidth_sma3nz",
    "F1amplitudeLogRelF0_sma3nz",  "F2frequency_sma3nz",
    "F2bandwidth_sma3nz",          "F2amplitudeLogRelF0_sma3nz",
    "F3frequency_sma3nz",          "F3bandwidth_sma3nz",
    "F3amplitudeLogRelF0_sma3nz",
};

const char *voice_lld_name(int c) { return c >= 0 && c < VOICE_NLLD ? lld_names[c] : NULL; }

size_t voice_frames(size_t n, double sr)
{
    if (!(sr > 0.0))
        return 0;
    size_t len = (size_t)lround(0.06 * sr), hop = (size_t)lround(0.01 * sr);
    if (hop == 0 || n < len)
        return 0;
    return (n - len) / hop + 2;
}

struct voice_workspace {
    double sr;
    pitch_shs *pitch;
    formant_lpc *formant;
    size_t nbins, nfft;
    float *mag;
    fftwf_complex *power; /* fftwf_malloc'd, nbins: the power spectrum to transform */
    float *acf;           /* fftwf_malloc'd, nfft */
    fftwf_plan acf_plan;
    double *frq; /* bin frequencies */
    /* per-clip buffers, grown as needed */
    size_t cap;
    pitch_cands *cands;
    float *f0;
    float *raw;  /* cap x VOICE_NLLD, before smoothing */
    float *mags; /* cap x nbins spectra kept from the pitch pass, when small enough */
    size_t mags_cap;
    size_t cc_cap;
    double *cc, *psum, *psum2;
    double *segd; /* the stretch jitter reads, as doubles */
    size_t psum_cap;
    int avx2; /* the AVX2 kernels run (the CPU has them) */
};

voice_workspace *voice_workspace_create(void)
{
    voice_workspace *w = cli_xcalloc(1, sizeof(voice_workspace));
#if DSP_AVX2_KERNELS
    w->avx2 = __builtin_cpu_supports("avx2");
#endif
    return w;
}

static void release_rate(voice_workspace *w)
{
    pitch_shs_free(w->pitch);
    formant_free(w->formant);
    fftplan_destroy(w->acf_plan);
    fftwf_free(w->power);
    fftwf_free(w->acf);
    free(w->mag);
    free(w->frq);
    w->pitch = NULL;
    w->formant = NULL;
    w->acf_plan = NULL;
    w->power = NULL;
    w->acf = w->mag = NULL;
    w->frq = NULL;
    w->sr = 0.0;
}

void voice_workspace_free(voice_workspace *w)
{
    if (!w)
        return;
    release_rate(w);
    free(w->cands);
    free(w->f0);
    free(w->raw);
    free(w->mags);
    free(w->cc);
    free(w->psum);
    free(w->psum2);
    free(w->segd);
    free(w);
}

static int setup_rate(voice_workspace *w, double sr, char *err, size_t errlen)
{
    if (w->sr == sr && w->pitch)
        return 0;
    release_rate(w);
    w->pitch = pitch_shs_create(sr);
    w->formant = formant_create(sr, 1);
    if (!w->pitch || !w->formant) {
        release_rate(w);
        return err_set(err, errlen, "sample rate %g Hz is outside 8000..384000 Hz", sr);
    }
    w->sr = sr;
    w->nbins = pitch_fft_bins(w->pitch);
    w->nfft = (w->nbins - 1) * 2;
    w->mag = cli_xmalloc(w->nbins * sizeof *w->mag);
    w->frq = cli_xmalloc(w->nbins * sizeof *w->frq);
    for (size_t k = 0; k < w->nbins; k++)
        w->frq[k] = (double)k * sr / (double)w->nfft;
    w->power = fftplan_alloc(w->nbins * sizeof(fftwf_complex), "autocorrelation");
    w->acf = fftplan_alloc(w->nfft * sizeof *w->acf, "autocorrelation");
    w->acf_plan = fftplan_c2r((int)w->nfft, w->power, w->acf);
    return 0;
}

static void grow(voice_workspace *w, size_t nframes)
{
    if (nframes <= w->cap)
        return;
    free(w->cands);
    free(w->f0);
    free(w->raw);
    w->cap = nframes;
    w->cands = cli_xmalloc(nframes * sizeof *w->cands);
    w->f0 = cli_xmalloc(nframes * sizeof *w->f0);
    w->raw = cli_xmalloc(nframes * VOICE_NLLD * sizeof *w->raw);
}

/* ---- jitter and shimmer: periods tracked through the waveform, frame after frame ---- */

typedef struct {
    size_t hop, frame_len;
    long last_idx, last_mis;
    /* single precision, as openSMILE: a period measured twice from one start then differs
     * from itself by exactly 0 */
    float last_t0;
    float last_jitter, last_shimmer;
} period_track;

/* Pearson correlation of x[0..len-1] with x[len..2len-1], from the sum of their products
 * (four partial sums s4, below) and prefix sums s1, s2 of x and of x^2 (s[i] = sum of the
 * first i). */
static DSP_SIMD_INLINE double corr_from_sums(const double *s4, const double *s1, const double *s2,
                                             long len)
{
    double n = (double)len;
    double sx = s1[len] - s1[0], sy = s1[2 * len] - s1[len];
    double sxx = s2[len] - s2[0], syy = s2[2 * len] - s2[len];
    double sxy = (s4[0] + s4[1]) + (s4[2] + s4[3]);
    double cov = sxy - sx * sy / n;
    double vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
    if (!(vx > 0.0 && vy > 0.0))
        return 0.0;
    return cov / (sqrt(vx) * sqrt(vy));
}

/* Adds to s4 the products x[i] x[i + len] for i = from..len-1, from a multiple of 4: four
 * interleaved partial sums (lane i mod 4, the tail in lane 0), so that the products need no
 * serial chain of additions. */
static DSP_SIMD_INLINE void lag_products(const double *x, long len, long from, double *s4)
{
    long i = from;
    for (; i + 4 <= len; i += 4)
        for (int k = 0; k < 4; k++)
            s4[k] += x[i + k] * x[i + k + len];
    for (; i < len; i++)
        s4[0] += x[i] * x[i + len];
}

/* x: the samples as doubles (their products, exact, are those of the floats) */
static DSP_SIMD_INLINE double period_corr(const double *x, const double *s1, const double *s2,
                                          long len)
{
    double s4[4] = {0.0, 0.0, 0.0, 0.0};
    lag_products(x, len, 0, s4);
    return corr_from_sums(s4, s1, s2, len);
}

#if DSP_AVX2_KERNELS
/* The common groups of period_corr4 with the four lags' partial sums as four vectors, lane k
 * of one being the s4[k] of its lag: the same products added in the same order. */
__attribute__((target("avx2"))) static void lag4_groups_avx2(const double *x, long len, long groups,
                                                             double *a0, double *a1, double *a2,
                                                             double *a3)
{
    __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    for (long i = 0; i < 4 * groups; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        const double *y = x + i + len;
        s0 = _mm256_add_pd(s0, _mm256_mul_pd(v, _mm256_loadu_pd(y)));
        s1 = _mm256_add_pd(s1, _mm256_mul_pd(v, _mm256_loadu_pd(y + 1)));
        s2 = _mm256_add_pd(s2, _mm256_mul_pd(v, _mm256_loadu_pd(y + 2)));
        s3 = _mm256_add_pd(s3, _mm256_mul_pd(v, _mm256_loadu_pd(y + 3)));
    }
    _mm256_storeu_pd(a0, s0);
    _mm256_storeu_pd(a1, s1);
    _mm256_storeu_pd(a2, s2);
    _mm256_storeu_pd(a3, s3);
}
#endif

/* cc[j] = period_corr(x, s1, s2, len + j) for j = 0..3, each lag's sums added in the same
 * order as there. The groups of four products all four lags have in full run together,
 * sharing the loads of x[i] and giving the adder four independent chains; each lag then
 * finishes alone. */
static DSP_SIMD_INLINE void period_corr4(const voice_workspace *w, const double *x,
                                         const double *s1, const double *s2, long len, double *cc)
{
    double a0[4] = {0.0, 0.0, 0.0, 0.0}, a1[4] = {0.0, 0.0, 0.0, 0.0};
    double a2[4] = {0.0, 0.0, 0.0, 0.0}, a3[4] = {0.0, 0.0, 0.0, 0.0};
    long common = len - len % 4;
#if DSP_AVX2_KERNELS
    if (w->avx2)
        lag4_groups_avx2(x, len, common / 4, a0, a1, a2, a3);
    else
#endif
        for (long i = 0; i < common; i += 4)
            for (int k = 0; k < 4; k++) {
                double v = x[i + k];
                const double *y = x + i + k + len;
                a0[k] += v * y[0];
                a1[k] += v * y[1];
                a2[k] += v * y[2];
                a3[k] += v * y[3];
            }
    (void)w;
    lag_products(x, len, common, a0);
    lag_products(x, len + 1, common, a1);
    lag_products(x, len + 2, common, a2);
    lag_products(x, len + 3, common, a3);
    cc[0] = corr_from_sums(a0, s1, s2, len);
    cc[1] = corr_from_sums(a1, s1, s2, len + 1);
    cc[2] = corr_from_sums(a2, s1, s2, len + 2);
    cc[3] = corr_from_sums(a3, s1, s2, len + 3);
}

/* Peak-to-peak amplitude over x[1..len-2], as openSMILE measures a period. */
static DSP_SIMD_INLINE float peak_to_peak(const float *x, long len)
{
    float mx = x[1], mn = x[1];
    for (long i = 1; i < len - 1; i++) {
        if (x[i] > mx)
            mx = x[i];
        if (x[i] < mn)
            mn = x[i];
    }
    return mx - mn;
}

static DSP_SIMD_INLINE void jitter_frame(voice_workspace *w, period_track *t, const float *x,
                                         size_t n, float f0, float *jitter, float *shimmer_db)
{
    double sr = w->sr;
    long to_read0 = (long)t->hop + t->last_mis, to_read = to_read0;
    long t0f = 0, t0min = 0, t0max = 0;
    if (f0 > 0.0f) {
        double tf = sr / f0;
        t0f = lround(tf);
        t0min = (long)floor((1.0 - JITTER_RANGE) * tf);
        t0max = (long)ceil((1.0 + JITTER_RANGE) * tf);
        long two = JITTER_MIN_PERIODS * t0max + JITTER_MIN_PERIODS;
        if (to_read < two)
            to_read = two;
    }
    long max_read = t->last_mis + (long)t->frame_len;
    if (to_read > max_read)
        to_read = max_read;
    long avail = t->last_idx < (long)n ? (long)n - t->last_idx : 0;
    long nt = to_read < avail ? to_read : avail;
    const float *seg = x + (t->last_idx < (long)n ? t->last_idx : 0);

    double n_periods = 0, n_local = 0;
    float sum_period = 0.0f, jit = 0.0f, amp = 0.0f, amp_diff = 0.0f;
    long last_period = 0;
    if (f0 > 0.0f && t0min > 0) {
        if ((size_t)nt + 1 > w->psum_cap) {
            free(w->psum);
            free(w->psum2);
            free(w->segd);
            w->psum_cap = (size_t)nt + 1;
            w->psum = cli_xmalloc(w->psum_cap * sizeof *w->psum);
            w->psum2 = cli_xmalloc(w->psum_cap * sizeof *w->psum2);
            w->segd = cli_xmalloc(w->psum_cap * sizeof *w->segd);
        }
        /* the running sums in registers: read back from the arrays, each addition would wait
         * for the store before it */
        double *s1 = w->psum, *s2 = w->psum2, *xd = w->segd, r1 = 0.0, r2 = 0.0;
        s1[0] = s2[0] = 0.0;
        for (long i = 0; i < nt; i++) {
            double v = seg[i];
            r1 += v;
            r2 += v * v;
            s1[i + 1] = r1;
            s2[i + 1] = r2;
            xd[i] = v;
        }
        size_t nlags = (size_t)(t0max - t0min + 1);
        if (nlags > w->cc_cap) {
            free(w->cc);
            w->cc_cap = nlags;
            w->cc = cli_xmalloc(nlags * sizeof *w->cc);
        }
        double *cc = w->cc;
        long start = 0;
        while (start < nt - 2 * t0max - 1) {
            long l = t0min;
            for (; l + 3 <= t0max; l += 4)
                period_corr4(w, w->segd + start, w->psum + start, w->psum2 + start, l,
                             cc + (l - t0min));
            for (; l <= t0max; l++)
                cc[l - t0min] = period_corr(w->segd + start, w->psum + start, w->psum2 + start, l);
            long best = -1;
            double best_cc = 0.0;
            for (long i = 1; i < t0max - t0min - 1; i++)
                if (cc[i - 1] < cc[i] && cc[i] > cc[i + 1] && (best < 0 || cc[i] > best_cc)) {
                    best = i;
                    best_cc = cc[i];
                }
            if (best < 0) {
                start += t0f;
            } else {
                long pp = t0min + best, os = start;
                start += pp;
                float a0 = peak_to_peak(seg + os, pp), a1 = peak_to_peak(seg + start, pp);
                double cc_peak = 0.0;
                double off =
                    dsp_parabola_peak((double)(best - 1), cc[best - 1], (double)best, cc[best],
                                      (double)(best + 1), cc[best + 1], &cc_peak);
                float period = (float)(fabs((double)t0min + off) / sr);
                if (cc_peak > JITTER_MIN_CC) {
                    sum_period += period;
                    n_periods += 1.0;
                    if (t->last_t0 > 0.0f) {
                        float d = fabsf(t->last_t0 - period);
                        jit += d;
                        n_local += 1.0;
                    }
                    t->last_t0 = period;
                    amp += (a0 + a1) / 2.0f;
                    amp_diff += fabsf(a0 - a1);
                }
            }
            if (start < to_read0 - 1)
                last_period = start;
        }
        t->last_mis = to_read0 - last_period;
    } else {
        last_period = to_read0;
        t->last_mis = 0;
        t->last_t0 = 0.0f;
        t->last_jitter = t->last_shimmer = 0.0f;
    }
    t->last_idx += last_period;

    /* A voiced frame without a counted period repeats the previous frame's values. */
    *jitter = 0.0f;
    if (n_periods > 0 && n_local > 0 && f0 > 0.0f)
        t->last_jitter = (jit / (float)n_local) / (sum_period / (float)n_periods);
    if (f0 > 0.0f && (n_periods == 0 || n_local > 0)) {
        if (t->last_jitter > 1.0f)
            t->last_jitter = 1.0f;
        *jitter = t->last_jitter;
    }
    *shimmer_db = 0.0f;
    if (n_periods > 0 && f0 > 0.0f)
        t->last_shimmer = amp > 0.0f ? amp_diff / amp : 0.0f;
    if (f0 > 0.0f) {
        if (t->last_shimmer > 1.0f)
            t->last_shimmer = 1.0f;
        *shimmer_db = (float)(20.0 * log10(t->last_shimmer + 1.0));
    }
}

/* ---- harmonics: HNR from the autocorrelation, harmonic and formant levels ---- */

static int is_peak(const float *x, long n, long i)
{
    if (i >= n || i < 0)
        return 0;
    if (i + 1 < n)
        return i > 0 ? (x[i] > x[i - 1] && x[i] > x[i + 1]) : x[0] > x[1];
    return i > 0 && x[i] > x[i - 1];
}

/* The bin nearest freq among bins `from` (>= 1) and up: the first bin above freq, or the one
 * before it when that is nearer; 0 when no bin lies above freq. The bins are evenly spaced by
 * df, so the search starts where freq falls instead of scanning from `from`. */
static long freq_to_bin(const double *frq, long n, double df, double freq, long from)
{
    if (from < 1)
        from = 1;
    long b = freq >= 0.0 && freq / df < (double)n ? (long)(freq / df) : n;
    if (b < from)
        b = from;
    while (b > from && frq[b - 1] > freq)
        b--;
    while (b < n && !(frq[b] > freq))
        b++;
    if (b >= n)
        return 0;
    return frq[b] - freq > freq - frq[b - 1] ? b - 1 : b;
}

static long closest_peak(const float *x, long n, long idx)
{
    if (is_peak(x, n, idx))
        return idx;
    for (long o = 1; idx - o > 0 || idx + o < n - 1; o++) {
        if (idx - o > 0 && is_peak(x, n, idx - o))
            return idx - o;
        if (idx + o < n - 1 && is_peak(x, n, idx + o))
            return idx + o;
    }
    if (idx >= n)
        return idx;
    if (x[0] > x[idx] && x[n - 1] <= x[idx])
        return 0;
    if (x[0] <= x[idx] && x[n - 1] > x[idx])
        return n - 1;
    if (x[0] > x[idx] && x[n - 1] > x[idx])
        return idx < n / 2 ? 0 : n - 1;
    return idx;
}

static DSP_SIMD_INLINE float acf_hnr_db(voice_workspace *w, const float *mag, float f0)
{
    long nb = (long)w->nbins;
    fftwf_complex *p = w->power;
    for (long k = 0; k < nb; k++) {
        /* mag is the workspace's spectrum or the clip's cached spectra, never NULL. */
        p[k][0] = mag[k] * mag[k]; // NOLINT(clang-analyzer-core.NullDereference)
        p[k][1] = 0.0f;
    }
    fftwf_execute(w->acf_plan);
    for (long k = 0; k < nb; k++)
        w->acf[k] = fabsf(w->acf[k]);
    long bin = (long)floor(w->frq[nb - 1] * 2.0 / f0);
    if (bin <= 0)
        return 0.0f;
    bin = closest_peak(w->acf, nb, bin);
    if (bin <= 0 || bin >= nb)
        return 0.0f;
    double noise = (double)w->acf[0] - w->acf[bin];
    double hnr = noise == 0.0 ? 1e11 : w->acf[bin] / noise;
    if (hnr > 1e11)
        hnr = 1e11;
    else if (hnr < 1e-9)
        hnr = 1e-9;
    return (float)(10.0 * log10(hnr));
}

typedef struct {
    long bin;
    float freq; /* interpolated frequency, 0 when not found */
    float mag;  /* magnitude at the peak bin */
    float mag_interp;
    float rel_db; /* level relative to the first harmonic's bin magnitude */
} harmonic;

/* Harmonics 0..count-1 of f0 in the magnitude spectrum mag (each found from the one before,
 * so the first count are the same whatever count is). */
static void find_harmonics(const voice_workspace *w, const float *mag, float f0, harmonic *h,
                           int count)
{
    const double *frq = w->frq;
    long nb = (long)w->nbins;
    double df = frq[1];
    long last = freq_to_bin(frq, nb, df, 0.5 * f0, 1);
    long first = freq_to_bin(frq, nb, df, 0.5 * f0, last);
    for (int i = 0; i < count; i++) {
        long cand = freq_to_bin(frq, nb, df, (double)(i + 1) * f0, last), peak = -1;
        if (is_peak(mag, nb, cand)) {
            peak = cand;
        } else {
            long l = cand - 1, r = cand + 1;
            long lo = freq_to_bin(frq, nb, df, ((double)i + 0.5) * f0, last);
            long hi = freq_to_bin(frq, nb, df, ((double)i + 1.5) * f0, cand);
            while ((l >= lo || r <= hi) && peak == -1) {
                if (r <= hi) {
                    if (is_peak(mag, nb, r)) {
                        peak = r;
                        break;
                    }
                    r++;
                }
                if (l >= lo) {
                    if (is_peak(mag, nb, l)) {
                        peak = l;
                        break;
                    }
                    l--;
                }
            }
        }
        h[i].rel_db = LOG_REL_FLOOR;
        if (peak >= first && peak < nb - 1 && peak >= 1) {
            double mi = 0.0;
            h[i].bin = peak;
            h[i].mag = mag[peak];
            h[i].freq = (float)dsp_parabola_peak(frq[peak - 1], mag[peak - 1], frq[peak], mag[peak],
                                                 frq[peak + 1], mag[peak + 1], &mi);
            h[i].mag_interp = (float)mi;
        } else {
            h[i].bin = cand;
            h[i].freq = h[i].mag = h[i].mag_interp = 0.0f;
        }
        last = cand;
    }
    /* levels relative to the first harmonic; a harmonic on the same bin as its predecessor is
     * discarded */
    float ref = h[0].mag;
    int have_ref = ref != 0.0f;
    float ref_log = have_ref ? (float)log10(ref) : 0.0f;
    h[0].rel_db = 0.0f;
    for (int i = 1; i < count; i++) {
        if (have_ref) {
            if (h[i].mag_interp > 0.0f) {
                h[i].rel_db = (float)(20.0 * (log10(h[i].mag_interp) - ref_log));
                if (h[i].rel_db < -200.0f)
                    h[i].rel_db = -200.0f;
            } else {
                h[i].rel_db = -200.0f;
            }
        } else {
            h[i].rel_db = LOG_REL_FLOOR;
        }
        if (h[i].bin == h[i - 1].bin) {
            h[i].bin = 0;
            h[i].freq = h[i].mag = h[i].mag_interp = 0.0f;
            h[i].rel_db = LOG_REL_FLOOR;
        }
    }
}

/* The strongest of harmonics 0..count-1 within 20% of formant frequency fc, or -1. */
static int formant_harmonic(const harmonic *h, int count, float fc)
{
    float lo = 0.8f * fc, hi = 1.2f * fc, best_mag = 0.0f;
    int best = -1;
    for (int i = 0; i < count; i++)
        if (h[i].freq >= lo && h[i].freq <= hi && h[i].mag > best_mag) {
            best = i;
            best_mag = h[i].mag;
        }
    return best;
}

static float clamp201(float v) { return v < -201.0f ? -201.0f : v > 201.0f ? 201.0f : v; }

/* Harmonic columns of a voiced frame: openSMILE numbers harmonics from 0 (the fundamental), so
 * its "H1-H2" is the level of 2 F0 minus that of 3 F0, and "H1-A3" the level of 2 F0 minus that
 * of the strongest harmonic near F3. */
static void harmonic_columns(voice_workspace *w, const float *mag, float f0, const float *fc,
                             float *row)
{
    /* Only H1, H2 and the harmonics near F1-F3 are read. Harmonic i is found at or above bin
     * round(i f0 / df) - 2, so at a frequency above i f0 - 3.5 df: the ones beyond 1.2 times the
     * highest formant (with a margin of 4 bins) can never be chosen, and are not looked for. */
    float fc_max = fc[0] > fc[1] ? fc[0] : fc[1];
    fc_max = fc_max > fc[2] ? fc_max : fc[2];
    double reach = (1.2 * fc_max + 4.0 * w->frq[1]) / f0 + 2.0;
    int count = reach < (double)N_HARMONICS ? (int)reach : N_HARMONICS;
    if (count < 3)
        count = 3;
    harmonic h[N_HARMONICS];
    find_harmonics(w, mag, f0, h, count);
    row[VOICE_H1H2] = clamp201(h[1].rel_db - h[2].rel_db);
    int a3 = formant_harmonic(h, count, fc[2]);
    row[VOICE_H1A3] = clamp201(a3 >= 0 ? h[1].rel_db - h[a3].rel_db : h[1].rel_db - 201.0f);
    static const int amp_col[3] = {VOICE_F1_AMP, VOICE_F2_AMP, VOICE_F3_AMP};
    for (int k = 0; k < 3; k++) {
        int idx = formant_harmonic(h, count, fc[k]);
        row[amp_col[k]] = idx >= 0 ? h[idx].rel_db : 0.0f;
    }
}

/* openSMILE's sma3nz: the mean of the non-zero values among frames f-1, f, f+1, and 0 where
 * frame f itself is 0. Beyond either end the edge frame repeats (openSMILE's first row is
 * (2 x0 + x1) / 3). */
static DSP_SIMD_INLINE void smooth_sma3nz(const float *raw, float *out, size_t nframes)
{
    for (size_t f = 0; f < nframes; f++)
        for (int c = 0; c < VOICE_NLLD; c++) {
            float v = raw[f * VOICE_NLLD + c];
            if (v == 0.0f) {
                out[f * VOICE_NLLD + c] = 0.0f;
                continue;
            }
            float prev = f > 0 ? raw[(f - 1) * VOICE_NLLD + c] : v;
            float next = f + 1 < nframes ? raw[(f + 1) * VOICE_NLLD + c] : v;
            float sum = v;
            int cnt = 1;
            if (prev != 0.0f) {
                sum += prev;
                cnt++;
            }
            if (next != 0.0f) {
                sum += next;
                cnt++;
            }
            out[f * VOICE_NLLD + c] = sum / (float)cnt;
        }
}

/* voice_lld_compute_ws once the workspace is ready, in one of two compiled copies
 * (dsp/simdclone.h). */
DSP_SIMD_CLONES static void voice_rows(voice_workspace *w, const float *x, size_t n, size_t nframes,
                                       float *lld_rows, float *func_rows, float *f0_hz)
{
    size_t hop = pitch_hop(w->pitch);
    /* The harmonics need each voiced frame's spectrum again once the Viterbi search has
     * decided: keep the spectra (up to MAG_CACHE_FLOATS) rather than transform twice. */
    float *mags = NULL;
    if (nframes <= MAG_CACHE_FLOATS / w->nbins) {
        if (nframes * w->nbins > w->mags_cap) {
            free(w->mags);
            w->mags_cap = nframes * w->nbins;
            w->mags = cli_xmalloc(w->mags_cap * sizeof *w->mags);
        }
        mags = w->mags;
    }
    for (size_t f = 0; f < nframes; f++)
        pitch_shs_frame(w->pitch, x, n, f * hop, &w->cands[f], mags ? mags + f * w->nbins : NULL);
    pitch_viterbi(w->cands, nframes, w->f0);

    period_track track = {.hop = hop, .frame_len = pitch_frame_len(w->pitch)};
    formant_reset(w->formant); /* this clip's formants from this clip alone */
    float *raw = w->raw;
    for (size_t f = 0; f < nframes; f++) {
        float *row = raw + f * VOICE_NLLD;
        float f0 = w->f0[f];
        float fc[FORMANT_MAX] = {0}, bw[FORMANT_MAX] = {0};
        /* Without lld_rows, an unvoiced frame's formants are read by nothing: func_rows zeroes
         * them and the harmonic levels exist on voiced frames only. */
        if (lld_rows || f0 > 0.0f)
            formant_frame(w->formant, x, n, f * hop, fc, bw);
        row[VOICE_F1_FREQ] = fc[0];
        row[VOICE_F1_BW] = bw[0];
        row[VOICE_F2_FREQ] = fc[1];
        row[VOICE_F2_BW] = bw[1];
        row[VOICE_F3_FREQ] = fc[2];
        row[VOICE_F3_BW] = bw[2];
        jitter_frame(w, &track, x, n, f0, &row[VOICE_JITTER], &row[VOICE_SHIMMER_DB]);
        if (f0 > 0.0f) {
            /* semitones above 27.5 Hz; 1 at and below 29.136 Hz, as 0 means unvoiced */
            row[VOICE_F0_SEMITONE] =
                f0 > 29.136f ? (float)(12.0 * log((double)(f0 / 27.5f)) / log(2.0)) : 1.0f;
            const float *mag = mags ? mags + f * w->nbins : w->mag;
            if (!mags)
                pitch_frame_magnitude(w->pitch, x, n, f * hop, w->mag, NULL);
            row[VOICE_HNR_DB] = acf_hnr_db(w, mag, f0);
            harmonic_columns(w, mag, f0, fc, row);
        } else {
            row[VOICE_F0_SEMITONE] = 0.0f;
            row[VOICE_HNR_DB] = 0.0f;
            row[VOICE_H1H2] = row[VOICE_H1A3] = 0.0f;
            row[VOICE_F1_AMP] = row[VOICE_F2_AMP] = row[VOICE_F3_AMP] = LOG_REL_FLOOR;
        }
    }
    if (lld_rows)
        smooth_sma3nz(raw, lld_rows, nframes);
    if (func_rows) {
        static const int cols[6] = {VOICE_F1_FREQ, VOICE_F1_BW,   VOICE_F2_FREQ,
                                    VOICE_F2_BW,   VOICE_F3_FREQ, VOICE_F3_BW};
        for (size_t f = 0; f < nframes; f++)
            if (w->f0[f] <= 0.0f)
                for (int k = 0; k < 6; k++)
                    raw[f * VOICE_NLLD + cols[k]] = 0.0f;
        smooth_sma3nz(raw, func_rows, nframes);
    }
    if (f0_hz)
        memcpy(f0_hz, w->f0, nframes * sizeof *f0_hz);
}

int voice_lld_compute_ws(voice_workspace *w, const float *x, size_t n, double sr, size_t nframes,
                         float *lld_rows, float *func_rows, float *f0_hz, char *err, size_t errlen)
{
    if (nframes == 0)
        return 0;
    if (setup_rate(w, sr, err, errlen) != 0)
        return -1;
    grow(w, nframes);
    voice_rows(w, x, n, nframes, lld_rows, func_rows, f0_hz);
    return 0;
}

int voice_lld_compute(const float *x, size_t n, double sr, size_t nframes, float *rows, char *err,
                      size_t errlen)
{
    voice_workspace *w = voice_workspace_create();
    int rc = voice_lld_compute_ws(w, x, n, sr, nframes, rows, NULL, NULL, err, errlen);
    voice_workspace_free(w);
    return rc;
}
