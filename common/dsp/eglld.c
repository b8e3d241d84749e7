#include "dsp/eglld.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/dct.h"
#include "dsp/fftplan.h"
#include "dsp/loudness.h"
#include "dsp/simdclone.h"
#include "dsp/spectral.h"
#include "dsp/trimel.h"
#include "dsp/window.h"

#include <fftw3.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_BANDS 26
#define N_MFCC 4
#define MEL_LO_HZ 20.0
#define MEL_HI_HZ 8000.0
#define MFCC_LIFTER 22.0
#define MAX_FFT 65536

struct eglld {
    double sr;
    int frame_len, n_fft, n_bins, pad;
    double df;
    float *window;
    float *frame;            /* fftwf_malloc'd, n_fft */
    fftwf_complex *spectrum; /* fftwf_malloc'd, n_bins */
    fftwf_plan plan;
    float *mag, *prev_mag, *power, *log_power;
    double bands[N_BANDS], eq_weight[N_BANDS], log_bands[N_BANDS];
    float dct[(N_MFCC + 1) * N_BANDS];
    double lifter[N_MFCC + 1];
    trimel_bank mel;
    spectral_slope_band slope_low, slope_mid;
    int flux_last;
    int log_last; /* the log spectrum is needed up to the slopes' last bin only */
};

size_t eglld_frame_len(double sr) { return (size_t)llround(0.020 * sr); }
size_t eglld_hop(double sr)
{
    size_t h = (size_t)llround(0.010 * sr);
    return h ? h : 1;
}

size_t eglld_frames(size_t n, double sr)
{
    size_t len = eglld_frame_len(sr);
    return len == 0 || n < len ? 0 : (n - len) / eglld_hop(sr) + 1;
}

eglld *eglld_new(void) { return cli_xcalloc(1, sizeof(eglld)); }

static void release(eglld *e)
{
    fftplan_destroy(e->plan);
    fftwf_free(e->frame);
    fftwf_free(e->spectrum);
    free(e->window);
    free(e->mag);
    free(e->prev_mag);
    free(e->power);
    free(e->log_power);
    trimel_free(&e->mel);
    memset(e, 0, sizeof *e);
}

void eglld_free(eglld *e)
{
    if (!e)
        return;
    release(e);
    free(e);
}

static int setup(eglld *e, double sr, char *err, size_t errlen)
{
    if (e->sr == sr)
        return 0;
    release(e);
    int len = (int)eglld_frame_len(sr);
    if (sr < 1000 || len > MAX_FFT) {
        return err_set(err, errlen, "sample rate %g Hz is outside 1000..%d Hz", sr, MAX_FFT * 50);
    }
    int n_fft = (int)fftplan_pow2((size_t)len);
    if (n_fft < 4)
        n_fft = 4;
    e->sr = sr;
    e->frame_len = len;
    e->n_fft = n_fft;
    e->n_bins = n_fft / 2 + 1;
    e->pad = (n_fft - len) / 2;
    e->df = sr / n_fft;
    e->window = cli_xmalloc((size_t)len * sizeof *e->window);
    window_hamming(e->window, len);
    e->frame = fftplan_alloc((size_t)n_fft * sizeof *e->frame, "FFT frame");
    e->spectrum = fftplan_alloc((size_t)e->n_bins * sizeof *e->spectrum, "FFT spectrum");
    e->plan = fftplan_r2c(n_fft, e->frame, e->spectrum);
    memset(e->frame, 0, (size_t)n_fft * sizeof *e->frame);
    size_t nb = (size_t)e->n_bins;
    e->mag = cli_xmalloc(nb * sizeof *e->mag);
    e->prev_mag = cli_xmalloc(nb * sizeof *e->prev_mag);
    e->power = cli_xmalloc(nb * sizeof *e->power);
    e->log_power = cli_xmalloc(nb * sizeof *e->log_power);
    trimel_init(&e->mel, N_BANDS, e->n_bins, e->df, MEL_LO_HZ, MEL_HI_HZ);
    for (int b = 0; b < N_BANDS; b++)
        e->eq_weight[b] = loudness_equal_weight(e->mel.centre_hz[b]);
    dct2_ortho_matrix(e->dct, N_MFCC + 1, N_BANDS);
    for (int i = 1; i <= N_MFCC; i++)
        e->lifter[i] = 1.0 + MFCC_LIFTER / 2.0 * sin(3.14159265358979323846 * i / MFCC_LIFTER);
    spectral_slope_band_init(&e->slope_low, 0, 500, e->n_bins, e->df);
    spectral_slope_band_init(&e->slope_mid, 500, 1500, e->n_bins, e->df);
    e->flux_last = spectral_last_bin_below(5000, e->n_bins, e->df);
    e->log_last = e->slope_mid.hi > e->slope_low.hi ? e->slope_mid.hi : e->slope_low.hi;
    return 0;
}

static DSP_SIMD_INLINE void frame_row(eglld *e, const float *x, bool first, double *row)
{
    int len = e->frame_len;
    float *frame = e->frame + e->pad;
    const float *win = e->window;
    for (int i = 0; i < len; i++)
        frame[i] = x[i] * win[i];
    /* eight partial sums (lane i mod 8, the tail in lane 0) added pairwise: one serial chain of
     * additions would wait on each one in turn */
    double e8[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    int i = 0;
    for (; i + 8 <= len; i += 8)
        for (int k = 0; k < 8; k++)
            e8[k] += (double)x[i + k] * x[i + k];
    for (; i < len; i++)
        e8[0] += (double)x[i] * x[i];
    double energy = ((e8[0] + e8[1]) + (e8[2] + e8[3])) + ((e8[4] + e8[5]) + (e8[6] + e8[7]));
    row[EGLLD_ENERGY] = energy / len;
    fftwf_execute(e->plan);
    for (int k = 0; k < e->n_bins; k++) {
        double re = e->spectrum[k][0], im = e->spectrum[k][1];
        e->power[k] = (float)(re * re + im * im);
    }
    for (int k = 0; k <= e->flux_last; k++)
        e->mag[k] = sqrtf(e->power[k]);
    for (int k = 0; k <= e->log_last; k++) {
        double p = e->power[k];
        e->log_power[k] = p <= SPECTRAL_POWER_FLOOR ? -140.0f : (float)(10.0 * log10(p));
    }
    trimel_apply(&e->mel, e->power, e->bands);
    row[EGLLD_LOUDNESS] = loudness_from_bands(e->bands, e->eq_weight, N_BANDS);
    /* HTK scales samples to 16-bit integers: the power by 32767^2, floored at 1. */
    const double htk_scale = 32767.0 * 32767.0;
    for (int b = 0; b < N_BANDS; b++) {
        double v = e->bands[b] * htk_scale;
        e->log_bands[b] = v < 1.0 ? 0.0 : log(v);
    }
    for (int i = 1; i <= N_MFCC; i++) {
        double c = 0;
        for (int b = 0; b < N_BANDS; b++)
            c += e->dct[i * N_BANDS + b] * e->log_bands[b];
        row[EGLLD_MFCC1 + i - 1] = c * e->lifter[i];
    }
    row[EGLLD_ALPHA_RATIO] = spectral_alpha_ratio(e->power, e->n_bins, e->df);
    row[EGLLD_HAMMARBERG] = spectral_hammarberg(e->power, e->n_bins, e->df);
    row[EGLLD_SLOPE0_500] = spectral_slope(&e->slope_low, e->log_power, e->df);
    row[EGLLD_SLOPE500_1500] = spectral_slope(&e->slope_mid, e->log_power, e->df);
    row[EGLLD_FLUX] = first ? 0.0 : spectral_flux(e->mag, e->prev_mag, e->flux_last);
    float *t = e->prev_mag;
    e->prev_mag = e->mag;
    e->mag = t;
}

/* The frames, through one of two compiled copies (dsp/simdclone.h). */
DSP_SIMD_CLONES static void eglld_rows(eglld *e, const float *x, size_t frames, size_t hop,
                                       double *rows)
{
    for (size_t t = 0; t < frames; t++)
        frame_row(e, x + t * hop, t == 0, rows + t * EGLLD_NCOLS);
}

int eglld_compute(eglld *e, const float *x, size_t n, double sr, double *rows, char *err,
                  size_t errlen)
{
    if (setup(e, sr, err, errlen) != 0)
        return -1;
    eglld_rows(e, x, eglld_frames(n, sr), eglld_hop(sr), rows);
    return 0;
}
