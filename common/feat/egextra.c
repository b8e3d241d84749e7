#include "feat/egextra.h"

#include "base/cli.h"
#include "dsp/eglld.h"
#include "dsp/formant.h"
#include "dsp/voice.h"
#include "feat/functionals.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_PERIOD 0.01   /* seconds between rows */
#define MIN_PAUSE_FRAMES 10 /* a pause is at least 100 ms of inactive frames */
#define PEAK_HALF_WINDOW 5  /* a loudness peak is the maximum within +-50 ms */
#define PEAK_MIN_RATIO 0.4  /* ... and at least this share of the span's 95th percentile */
#define FORMANT_MIN_HZ 90.0 /* poles below, or wider than FORMANT_MAX_BW, are not formants */
#define FORMANT_MAX_BW 600.0

/* Short names: the record's metadata (names= included) has at most 4096 bytes, the 88
 * eGeMAPS names take 2578 of them, and featpaste adds the other streams' names. */
static const char *const names[] = {
/* formant: the LPC model's poles on voiced frames */
#define PCTL(d) d "_p20", d "_p50", d "_p80", d "_range"
    PCTL("F1pole"),
    PCTL("F2pole"),
    PCTL("F3pole"),
    "F1poleBw_p50",
    "F2poleBw_p50",
    "F2F1ratio_p50",
    "F2F1ratio_range",
    "vowelSpread",
#undef PCTL
    /* rhythm */
    "speechSec",
    "activeFraction",
    "pausesPerSec",
    "pauseMeanSec",
    "pauseFraction",
    "voicedFraction",
    "voicedSegPerSec",
    "peaksPerSec",
    "peakIntervalSec",
    "peakIntervalCV",
    "peakIntervalPVI",
};

#define NEXTRA ((int)(sizeof names / sizeof *names))

static const struct {
    int first, count;
} groups[EGEXTRA_NGROUPS] = {
    [EGEXTRA_FORMANT] = {0, 17},
    [EGEXTRA_RHYTHM] = {17, 11},
};

int egextra_count(void) { return NEXTRA; }
const char *egextra_name(int i) { return i >= 0 && i < NEXTRA ? names[i] : NULL; }
int egextra_group_first(int g) { return g >= 0 && g < EGEXTRA_NGROUPS ? groups[g].first : 0; }
int egextra_group_count(int g) { return g >= 0 && g < EGEXTRA_NGROUPS ? groups[g].count : 0; }

struct egextra {
    formant_lpc *formants;
    double formant_sr;
    double *a, *b, *t, *sorted; /* per-frame values, peak times, a sorted copy */
    double *f[3], *bw[2], *ratio;
    bool *voiced, *active;
    size_t cap;
};

egextra *egextra_new(void) { return cli_xcalloc(1, sizeof(egextra)); }

void egextra_free(egextra *e)
{
    if (!e)
        return;
    formant_free(e->formants);
    free(e->a);
    free(e->b);
    free(e->t);
    free(e->sorted);
    for (int i = 0; i < 3; i++)
        free(e->f[i]);
    for (int i = 0; i < 2; i++)
        free(e->bw[i]);
    free(e->ratio);
    free(e->voiced);
    free(e->active);
    free(e);
}

static void reserve(egextra *e, size_t n)
{
    if (n <= e->cap && e->a)
        return;
    size_t cap = n + 16;
    double **bufs[] = {&e->a,    &e->b,    &e->t,     &e->sorted, &e->f[0],
                       &e->f[1], &e->f[2], &e->bw[0], &e->bw[1],  &e->ratio};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        *bufs[i] = cli_xrealloc(*bufs[i], cap * sizeof **bufs[i]);
    e->voiced = cli_xrealloc(e->voiced, cap * sizeof *e->voiced);
    e->active = cli_xrealloc(e->active, cap * sizeof *e->active);
    e->cap = cap;
}

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Percentile p of v[0..n-1] (unchanged), through e->sorted. */
static double percentile(egextra *e, const double *v, size_t n, double p)
{
    memcpy(e->sorted, v, n * sizeof *v);
    qsort(e->sorted, n, sizeof *e->sorted, by_value);
    return func_percentile(e->sorted, n, p);
}

/* ---- formants ---- */

static float *formant_group(egextra *e, const egextra_input *in, size_t nv, float *o)
{
    size_t counts[3] = {0}, nbw[2] = {0}, nratio = 0, npair = 0;
    if (e->formants) {
        formant_reset(e->formants);
        size_t hop = eglld_hop(in->sr);
        for (size_t t = 0; t < nv; t++) {
            if (!e->voiced[t])
                continue;
            float freq[FORMANT_MAX], bw[FORMANT_MAX];
            int found = formant_frame(e->formants, in->x, in->n, t * hop, freq, bw);
            double f[3] = {0}, b[3] = {0};
            int k = 0;
            for (int i = 0; i < found && k < 3; i++) {
                if (freq[i] >= FORMANT_MIN_HZ && bw[i] <= FORMANT_MAX_BW) {
                    f[k] = freq[i];
                    b[k++] = bw[i];
                }
            }
            for (int i = 0; i < k; i++)
                e->f[i][counts[i]++] = f[i];
            for (int i = 0; i < k && i < 2; i++)
                e->bw[i][nbw[i]++] = b[i];
            if (k >= 2) {
                e->ratio[nratio++] = f[1] / f[0];
                e->a[npair] = f[0];
                e->b[npair++] = f[1];
            }
        }
    }
    for (int i = 0; i < 3; i++) {
        double p20 = percentile(e, e->f[i], counts[i], 0.2),
               p50 = percentile(e, e->f[i], counts[i], 0.5),
               p80 = percentile(e, e->f[i], counts[i], 0.8);
        *o++ = (float)p20;
        *o++ = (float)p50;
        *o++ = (float)p80;
        *o++ = (float)(p80 - p20);
    }
    for (int i = 0; i < 2; i++)
        *o++ = (float)percentile(e, e->bw[i], nbw[i], 0.5);
    double r20 = percentile(e, e->ratio, nratio, 0.2), r80 = percentile(e, e->ratio, nratio, 0.8);
    *o++ = (float)percentile(e, e->ratio, nratio, 0.5);
    *o++ = (float)(r80 - r20);
    /* The (F1, F2) cloud's spread: the fourth root of its covariance determinant, the radius of
     * a circle of the same area as its one-sigma ellipse. */
    double m1 = func_mean(e->a, npair), m2 = func_mean(e->b, npair), s11 = 0, s22 = 0, s12 = 0;
    for (size_t i = 0; i < npair; i++) {
        s11 += (e->a[i] - m1) * (e->a[i] - m1);
        s22 += (e->b[i] - m2) * (e->b[i] - m2);
        s12 += (e->a[i] - m1) * (e->b[i] - m2);
    }
    double det = npair ? (s11 * s22 - s12 * s12) / ((double)npair * npair) : 0;
    *o++ = (float)(det > 0 ? sqrt(sqrt(det)) : 0);
    return o;
}

/* ---- rhythm ---- */

typedef struct {
    size_t first, last; /* the speech span, rows first..last; last < first when empty */
} span;

static span speech_span(const egextra *e, size_t n25)
{
    span s = {1, 0};
    for (size_t t = 0; t < n25; t++) {
        if (!e->active[t])
            continue;
        if (s.last < s.first)
            s.first = t;
        s.last = t;
    }
    return s;
}

static float *rhythm_group(egextra *e, const egextra_input *in, size_t nv, span s, float *o)
{
    if (s.last < s.first) {
        for (int i = 0; i < groups[EGEXTRA_RHYTHM].count; i++)
            *o++ = 0;
        return o;
    }
    size_t len = s.last - s.first + 1, active = 0, voiced = 0, pauses = 0, pause_frames = 0;
    double secs = len * FRAME_PERIOD;
    size_t run = 0;
    for (size_t t = s.first; t <= s.last + 1; t++) {
        bool act = t <= s.last && e->active[t];
        active += act;
        voiced += t <= s.last && t < nv && e->voiced[t];
        if (t <= s.last && !act) {
            run++;
            continue;
        }
        if (run >= MIN_PAUSE_FRAMES) {
            pauses++;
            pause_frames += run;
        }
        run = 0;
    }
    *o++ = (float)secs;
    *o++ = (float)((double)active / len);
    *o++ = (float)(pauses / secs);
    *o++ = (float)(pauses ? pause_frames * FRAME_PERIOD / pauses : 0);
    *o++ = (float)((double)pause_frames / len);
    *o++ = (float)((double)voiced / len);
    /* Voiced segments (as eGeMAPS's, on the smoothed F0) inside the span. */
    size_t end = s.last + 1 < in->npitch ? s.last + 1 : in->npitch, m = 0;
    for (size_t t = s.first; t < end; t++)
        e->a[m++] = in->voice[t * VOICE_NLLD + VOICE_F0_SEMITONE];
    func_segments seg;
    func_segments_compute(e->a, m, true, &seg);
    *o++ = (float)(seg.count / secs);
    /* Loudness peaks on voiced frames: syllable nuclei, roughly. */
    m = 0;
    for (size_t t = s.first; t <= s.last; t++)
        e->a[m++] = in->loud[t];
    double floor = PEAK_MIN_RATIO * percentile(e, e->a, m, 0.95);
    size_t npk = 0;
    for (size_t t = s.first; t <= s.last; t++) {
        if (t >= nv || !e->voiced[t] || in->loud[t] < floor)
            continue;
        size_t lo = t >= s.first + PEAK_HALF_WINDOW ? t - PEAK_HALF_WINDOW : s.first;
        size_t hi = t + PEAK_HALF_WINDOW <= s.last ? t + PEAK_HALF_WINDOW : s.last;
        bool peak = true;
        for (size_t u = lo; u <= hi && peak; u++)
            peak = u < t ? in->loud[u] < in->loud[t] : in->loud[u] <= in->loud[t];
        if (peak)
            e->t[npk++] = t * FRAME_PERIOD;
    }
    *o++ = (float)(npk / secs);
    size_t ni = npk > 1 ? npk - 1 : 0;
    for (size_t i = 0; i < ni; i++)
        e->b[i] = e->t[i + 1] - e->t[i];
    double mean = func_mean(e->b, ni), npvi = 0;
    for (size_t i = 0; i + 1 < ni; i++)
        npvi += fabs(e->b[i] - e->b[i + 1]) / ((e->b[i] + e->b[i + 1]) / 2);
    *o++ = (float)mean;
    *o++ = (float)(mean > 0 ? func_stddev(e->b, ni, mean) / mean : 0);
    *o++ = (float)(ni > 1 ? 100.0 * npvi / (ni - 1) : 0);
    return o;
}

/* ---- frames ---- */

static void mark_frames(egextra *e, const egextra_input *in, size_t nv)
{
    for (size_t t = 0; t < in->n25; t++)
        e->a[t] = in->raw[t * EGLLD_NCOLS + EGLLD_ENERGY];
    double ref = percentile(e, e->a, in->n25, 0.95);
    double thresh = ref * pow(10.0, -EGEXTRA_ACTIVE_DB / 10.0);
    if (thresh < 1e-10)
        thresh = 1e-10;
    for (size_t t = 0; t < in->n25; t++) {
        e->active[t] = e->a[t] >= thresh;
        e->voiced[t] = t < nv && in->f0_hz[t] > 0;
    }
}

void egextra_compute(egextra *e, const egextra_input *in, float *out)
{
    size_t cap = in->n25 > in->npitch ? in->n25 : in->npitch;
    reserve(e, cap);
    if (e->formant_sr != in->sr) {
        formant_free(e->formants);
        e->formants = formant_create(in->sr, 0); /* NULL outside 8-384 kHz: no formants */
        e->formant_sr = in->sr;
    }
    size_t nv = in->npitch < in->n25 ? in->npitch : in->n25;
    mark_frames(e, in, nv);
    span s = speech_span(e, in->n25);
    float *o = out;
    o = formant_group(e, in, nv, o);
    o = rhythm_group(e, in, nv, s, o);
    if (o - out != NEXTRA)
        cli_fail(NULL, "internal error: %d extra functionals", (int)(o - out));
}
