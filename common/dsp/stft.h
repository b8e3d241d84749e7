/* stft.h - short-time Fourier transform magnitudes, framed as librosa.stft's
 * defaults (centre=True with zero padding, periodic Hann window); their dB is
 * amplitude_to_db (dsp/powerdb.h). One plan per FFT length, made with FFTW_ESTIMATE so results
 * do not depend on timing. */
#ifndef SENTIO_STFT_H
#define SENTIO_STFT_H

#include <stddef.h>

#define STFT_MIN_FFT 16
#define STFT_MAX_FFT 65536

typedef struct stft stft;

/* NULL when n_fft is outside STFT_MIN_FFT..STFT_MAX_FFT or hop < 1. */
stft *stft_create(int n_fft, int hop);
void stft_free(stft *s);

/* Frequency bins per frame: n_fft/2 + 1. */
size_t stft_bins(const stft *s);
/* Frames for a signal of n samples: frames_count (dsp/frames.h), 1 + n/hop for
 * even n_fft (librosa, centre=True), 0 when there is no whole padded frame. */
size_t stft_frames(const stft *s, size_t n);

/* Magnitudes |X[t, 0..bins-1]| of frame t of x[0..n-1]: the n_fft samples centred on
 * sample t*hop (zeros beyond either end), times the window, transformed. */
void stft_magnitude(stft *s, const float *x, size_t n, size_t t, float *mag);

/* The largest magnitude over every frame and bin. */
double stft_max_magnitude(stft *s, const float *x, size_t n);

#endif
