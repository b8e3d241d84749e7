#include "dsp/stft.h"

#include "base/cli.h"
#include "dsp/frames.h"
#include "dsp/window.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

struct stft {
    int n_fft, hop;
    float *window;
    float *frame;            /* fftwf_malloc'd, n_fft */
    fftwf_complex *spectrum; /* fftwf_malloc'd, n_fft/2 + 1 */
    fftwf_plan plan;
};

stft *stft_create(int n_fft, int hop)
{
    if (n_fft < STFT_MIN_FFT || n_fft > STFT_MAX_FFT || hop < 1)
        return NULL;
    stft *s = cli_xcalloc(1, sizeof *s);
    s->n_fft = n_fft;
    s->hop = hop;
    s->window = cli_xmalloc((size_t)n_fft * sizeof *s->window);
    window_hann_periodic(s->window, n_fft);
    s->frame = fftwf_malloc((size_t)n_fft * sizeof *s->frame);
    s->spectrum = fftwf_malloc(((size_t)n_fft / 2 + 1) * sizeof *s->spectrum);
    if (!s->frame || !s->spectrum)
        cli_fail(NULL, "out of memory (FFT buffers of %d samples)", n_fft);
    s->plan = fftwf_plan_dft_r2c_1d(n_fft, s->frame, s->spectrum, FFTW_ESTIMATE);
    return s;
}

void stft_free(stft *s)
{
    if (!s)
        return;
    fftwf_destroy_plan(s->plan);
    fftwf_free(s->frame);
    fftwf_free(s->spectrum);
    free(s->window);
    free(s);
}

size_t stft_bins(const stft *s) { return (size_t)s->n_fft / 2 + 1; }

size_t stft_frames(const stft *s, size_t n) { return frames_count(s->n_fft, s->hop, n); }

void stft_magnitude(stft *s, const float *x, size_t n, size_t t, float *mag)
{
    frames_load(x, n, s->n_fft, s->hop, t, s->window, s->frame);
    fftwf_execute(s->plan);
    size_t bins = stft_bins(s);
    for (size_t k = 0; k < bins; k++)
        mag[k] = hypotf(s->spectrum[k][0], s->spectrum[k][1]);
}

double stft_max_magnitude(stft *s, const float *x, size_t n)
{
    size_t bins = stft_bins(s), frames = stft_frames(s, n);
    float *mag = cli_xmalloc(bins * sizeof *mag);
    double top = 0.0;
    for (size_t t = 0; t < frames; t++) {
        stft_magnitude(s, x, n, t, mag);
        for (size_t k = 0; k < bins; k++)
            if (mag[k] > top)
                top = mag[k];
    }
    free(mag);
    return top;
}
