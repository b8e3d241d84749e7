/* stft.h - short-time Fourier transform magnitudes, framed as librosa.stft's
 * defaults (centre=True with zero padding, periodic Hann window), and librosa's
 * amplitude_to_db. One plan per FFT length, made with FFTW_ESTIMATE so results
 * do not depend on timing. */
#ifndef SENTIO_STFT_H
#define SENTIO_STFT_H

#include <stddef.h>

#define STFT_MIN_FFT 16
#define STFT_MAX_FFT 65536
#define STFT_AMIN 1e-5 /* librosa amplitude_to_db's floor */

typedef struct stft stft;

/* NULL when n_fft is outside STFT_MIN_FFT..STFT_MAX_FFT or hop < 1. */
stft *stft_create(int n_fft, int hop);
void stft_free(stft *s);

/* Frequency bins per frame: n_fft/2 + 1. */
size_t stft_bins(const stft *s);
/* Frames for a signal of n samples: 1 + n/hop for even n_fft (librosa, centre=True). */
size_t stft_frames(const stft *s, size_t n);

/* Magnitudes |X[t, 0..bins-1]| of frame t of x[0..n-1]: the n_fft samples centred on
 * sample t*hop (zeros beyond either end), times the window, transformed. */
void stft_magnitude(stft *s, const float *x, size_t n, size_t t, float *mag);

/* The largest magnitude over every frame and bin. */
double stft_max_magnitude(stft *s, const float *x, size_t n);

/* librosa.amplitude_to_db(mag, ref=ref, amin=STFT_AMIN, top_db=top_db) for one
 * value whose array maximum is ref: 20 log10(max(amin, mag)) - 20 log10(max(amin, ref)),
 * floored at -top_db (top_db <= 0 disables the floor). */
double stft_amplitude_to_db(double mag, double ref, double top_db);

#endif
