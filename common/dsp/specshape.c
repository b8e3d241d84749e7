#include "dsp/specshape.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/eglld.h"
#include "dsp/fftplan.h"
#include "dsp/window.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FFT 65536

void specshape_compute(const float *power, int lo, int hi, double df, double *out)
{
    static const double rolloff_q[4] = {0.25, 0.5, 0.75, 0.9};
    for (int c = SPECSHAPE_CENTROID; c <= SPECSHAPE_ROLLOFF90; c++)
        out[c] = 0;
    double total = 0, log_sum = 0;
    for (int k = lo; k <= hi; k++) {
        total += power[k];
        log_sum += log(power[k] > SPECSHAPE_FLOOR ? power[k] : SPECSHAPE_FLOOR);
    }
    if (!(total > SPECSHAPE_FLOOR))
        return;
    int bins = hi - lo + 1;
    double mu = 0, entropy = 0;
    for (int k = lo; k <= hi; k++) {
        double p = power[k] / total;
        mu += k * df * p;
        if (p > 0)
            entropy -= p * log(p);
    }
    double m2 = 0, m3 = 0, m4 = 0;
    for (int k = lo; k <= hi; k++) {
        double p = power[k] / total, d = k * df - mu, d2 = d * d;
        m2 += d2 * p;
        m3 += d2 * d * p;
        m4 += d2 * d2 * p;
    }
    double sigma = sqrt(m2);
    out[SPECSHAPE_CENTROID] = mu;
    out[SPECSHAPE_SPREAD] = sigma;
    if (sigma > 0) {
        out[SPECSHAPE_SKEWNESS] = m3 / (m2 * sigma);
        out[SPECSHAPE_KURTOSIS] = m4 / (m2 * m2);
    }
    out[SPECSHAPE_ENTROPY] = bins > 1 ? entropy / log(bins) : 0;
    double floored_mean = 0;
    for (int k = lo; k <= hi; k++)
        floored_mean += power[k] > SPECSHAPE_FLOOR ? power[k] : SPECSHAPE_FLOOR;
    floored_mean /= bins;
    out[SPECSHAPE_FLATNESS] = exp(log_sum / bins) / floored_mean;
    double cum = 0;
    int q = 0;
    for (int k = lo; k <= hi && q < 4; k++) {
        cum += power[k] / total;
        while (q < 4 && cum >= rolloff_q[q] - 1e-12)
            out[SPECSHAPE_ROLLOFF25 + q++] = k * df;
    }
    while (q < 4)
        out[SPECSHAPE_ROLLOFF25 + q++] = hi * df;
}

double specshape_flux(const float *power, const float *prev, int lo, int hi)
{
    double a = 0, b = 0;
    for (int k = lo; k <= hi; k++) {
        a += power[k];
        b += prev[k];
    }
    if (!(a > SPECSHAPE_FLOOR) || !(b > SPECSHAPE_FLOOR))
        return 0;
    double sum = 0;
    for (int k = lo; k <= hi; k++) {
        double d = power[k] / a - prev[k] / b;
        sum += d * d;
    }
    return sqrt(sum);
}

struct specshape {
    double sr;
    int frame_len, n_fft, n_bins, pad, lo, hi;
    double df;
    float *window, *frame, *power, *prev;
    fftwf_complex *spectrum;
    fftwf_plan plan;
};

specshape *specshape_new(void) { return cli_xcalloc(1, sizeof(specshape)); }

static void release(specshape *s)
{
    fftplan_destroy(s->plan);
    fftwf_free(s->frame);
    fftwf_free(s->spectrum);
    free(s->window);
    free(s->power);
    free(s->prev);
    memset(s, 0, sizeof *s);
}

void specshape_free(specshape *s)
{
    if (!s)
        return;
    release(s);
    free(s);
}

static int setup(specshape *s, double sr, char *err, size_t errlen)
{
    if (s->sr == sr)
        return 0;
    release(s);
    int len = (int)eglld_frame_len(sr);
    if (sr < 1000 || len > MAX_FFT)
        return err_set(err, errlen, "sample rate %g Hz is outside 1000..%d Hz", sr, MAX_FFT * 50);
    int n_fft = (int)fftplan_pow2((size_t)len);
    if (n_fft < 4)
        n_fft = 4;
    s->sr = sr;
    s->frame_len = len;
    s->n_fft = n_fft;
    s->n_bins = n_fft / 2 + 1;
    s->pad = (n_fft - len) / 2;
    s->df = sr / n_fft;
    s->lo = (int)ceil(SPECSHAPE_LO_HZ / s->df);
    s->hi = (int)floor(SPECSHAPE_HI_HZ / s->df);
    if (s->hi > s->n_bins - 1)
        s->hi = s->n_bins - 1;
    if (s->lo > s->hi)
        s->lo = s->hi;
    s->window = cli_xmalloc((size_t)len * sizeof *s->window);
    window_hamming(s->window, len);
    s->frame = fftplan_alloc((size_t)n_fft * sizeof *s->frame, "FFT frame");
    s->spectrum = fftplan_alloc((size_t)s->n_bins * sizeof *s->spectrum, "FFT spectrum");
    s->plan = fftplan_r2c(n_fft, s->frame, s->spectrum);
    memset(s->frame, 0, (size_t)n_fft * sizeof *s->frame);
    s->power = cli_xmalloc((size_t)s->n_bins * sizeof *s->power);
    s->prev = cli_xmalloc((size_t)s->n_bins * sizeof *s->prev);
    return 0;
}

int specshape_frames(specshape *s, const float *x, size_t n, double sr, double *rows, char *err,
                     size_t errlen)
{
    if (setup(s, sr, err, errlen) != 0)
        return -1;
    size_t frames = eglld_frames(n, sr), hop = eglld_hop(sr);
    for (size_t t = 0; t < frames; t++) {
        const float *in = x + t * hop;
        for (int i = 0; i < s->frame_len; i++)
            s->frame[s->pad + i] = in[i] * s->window[i];
        fftwf_execute(s->plan);
        for (int k = 0; k < s->n_bins; k++) {
            double re = s->spectrum[k][0], im = s->spectrum[k][1];
            s->power[k] = (float)(re * re + im * im);
        }
        double *row = rows + t * SPECSHAPE_NCOLS;
        specshape_compute(s->power, s->lo, s->hi, s->df, row);
        row[SPECSHAPE_FLUX] = t ? specshape_flux(s->power, s->prev, s->lo, s->hi) : 0;
        float *tmp = s->prev;
        s->prev = s->power;
        s->power = tmp;
    }
    return 0;
}
