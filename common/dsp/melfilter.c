#include "dsp/melfilter.h"

#include "base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MEL_F_SP (200.0 / 3.0)
#define MEL_MIN_LOG_HZ 1000.0
#define MEL_MIN_LOG_MEL (MEL_MIN_LOG_HZ / MEL_F_SP)

static double mel_logstep(void) { return log(6.4) / 27.0; }

double mel_from_hz(double hz)
{
    if (hz >= MEL_MIN_LOG_HZ)
        return MEL_MIN_LOG_MEL + log(hz / MEL_MIN_LOG_HZ) / mel_logstep();
    return hz / MEL_F_SP;
}

double hz_from_mel(double mel)
{
    if (mel >= MEL_MIN_LOG_MEL)
        return MEL_MIN_LOG_HZ * exp(mel_logstep() * (mel - MEL_MIN_LOG_MEL));
    return MEL_F_SP * mel;
}

/* The weight of bin frequency f in the triangle (lo, centre, hi), before the
 * area normalisation; the same expression as librosa (min of the two ramps). */
static double ramp(double f, double lo, double centre, double hi)
{
    double lower = (f - lo) / (centre - lo);
    double upper = (hi - f) / (hi - centre);
    double w = lower < upper ? lower : upper;
    return w > 0.0 ? w : 0.0;
}

/* The lane layout of mel_filterbank (see melfilter.h) from first/len/weight. */
static void lay_out_lanes(mel_filterbank *fb)
{
    int n_mels = fb->n_mels;
    fb->lane_start = cli_xmalloc((size_t)n_mels * sizeof *fb->lane_start);
    fb->lanes = cli_xmalloc((size_t)n_mels * sizeof *fb->lanes);
    fb->tail = cli_xmalloc((size_t)n_mels * sizeof *fb->tail);
    size_t total = 0;
    for (int m = 0; m < n_mels; m++) {
        int len = fb->len[m], padded = (len + 3) / 4 * 4;
        if (padded <= fb->n_bins) {
            fb->lanes[m] = padded / 4, fb->tail[m] = 0;
            fb->lane_start[m] =
                fb->first[m] + padded <= fb->n_bins ? fb->first[m] : fb->n_bins - padded;
        } else { /* wider than the spectrum once padded: whole groups, then singles */
            fb->lanes[m] = len / 4, fb->tail[m] = len % 4;
            fb->lane_start[m] = fb->first[m];
        }
        total += 4 * (size_t)fb->lanes[m] + (size_t)fb->tail[m];
    }
    fb->lane_weight = cli_xcalloc(total ? total : 1, sizeof *fb->lane_weight);
    float *p = fb->lane_weight;
    for (int m = 0; m < n_mels; m++) {
        int offset = fb->first[m] - fb->lane_start[m]; /* > 0 when moved left */
        memcpy(p + offset, fb->weight[m], (size_t)fb->len[m] * sizeof *p);
        p += 4 * (size_t)fb->lanes[m] + (size_t)fb->tail[m];
    }
}

int mel_filterbank_init(mel_filterbank *fb, double sr, int n_fft, int n_mels, double fmin,
                        double fmax)
{
    memset(fb, 0, sizeof *fb);
    if (!(sr > 0) || n_fft < 2 || n_mels < 1 || !(fmin >= 0) || !(fmax > fmin))
        return -1;
    int n_bins = n_fft / 2 + 1;
    double *edge = cli_xmalloc((size_t)(n_mels + 2) * sizeof *edge);
    double mel_lo = mel_from_hz(fmin), mel_hi = mel_from_hz(fmax);
    for (int i = 0; i < n_mels + 2; i++) /* np.linspace: lo + i * step, end exact */
        edge[i] =
            hz_from_mel(i == n_mels + 1 ? mel_hi : mel_lo + i * ((mel_hi - mel_lo) / (n_mels + 1)));
    fb->n_mels = n_mels;
    fb->n_bins = n_bins;
    fb->first = cli_xmalloc((size_t)n_mels * sizeof *fb->first);
    fb->len = cli_xmalloc((size_t)n_mels * sizeof *fb->len);
    fb->weight = cli_xmalloc((size_t)n_mels * sizeof *fb->weight);
    /* First pass: the nonzero range of each filter, to size one block. */
    size_t total = 0;
    for (int m = 0; m < n_mels; m++) {
        int first = -1, last = -2;
        for (int k = 0; k < n_bins; k++) {
            double f = (double)k * sr / n_fft;
            if (ramp(f, edge[m], edge[m + 1], edge[m + 2]) > 0.0) {
                if (first < 0)
                    first = k;
                last = k;
            } else if (first >= 0) {
                break;
            }
        }
        fb->first[m] = first < 0 ? 0 : first;
        fb->len[m] = last - first + 1 > 0 ? last - first + 1 : 0;
        total += (size_t)fb->len[m];
    }
    fb->block = cli_xmalloc((total ? total : 1) * sizeof *fb->block);
    float *p = fb->block;
    for (int m = 0; m < n_mels; m++) {
        double enorm = 2.0 / (edge[m + 2] - edge[m]);
        fb->weight[m] = p;
        for (int j = 0; j < fb->len[m]; j++) {
            double f = (double)(fb->first[m] + j) * sr / n_fft;
            p[j] = (float)(ramp(f, edge[m], edge[m + 1], edge[m + 2]) * enorm);
        }
        p += fb->len[m];
    }
    free(edge);
    lay_out_lanes(fb);
    return 0;
}

void mel_filterbank_free(mel_filterbank *fb)
{
    free(fb->first);
    free(fb->len);
    free(fb->weight);
    free(fb->block);
    free(fb->lane_start);
    free(fb->lanes);
    free(fb->tail);
    free(fb->lane_weight);
    memset(fb, 0, sizeof *fb);
}

/* Four floats as one SSE2 register (GCC/Clang vector extension). */
typedef float v4sf __attribute__((vector_size(16)));

void mel_filterbank_apply(const mel_filterbank *fb, const float *power, float *out)
{
    const float *w = fb->lane_weight;
    for (int m = 0; m < fb->n_mels; m++) {
        const float *x = power + fb->lane_start[m];
        /* Four partial sums: vectorised and not bound by the latency of one
         * long chain of additions, yet in a fixed order. The zero padding
         * adds exact zeros (power is finite). */
        v4sf acc = {0};
        for (int g = 0; g < fb->lanes[m]; g++, w += 4, x += 4) {
            v4sf wv, xv;
            memcpy(&wv, w, sizeof wv);
            memcpy(&xv, x, sizeof xv);
            acc += wv * xv;
        }
        float sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (int j = 0; j < fb->tail[m]; j++)
            sum += w[j] * x[j];
        w += fb->tail[m];
        out[m] = sum;
    }
}
