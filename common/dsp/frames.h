/* frames.h - centred framing as librosa.stft(center=True) makes it, for MFCC
 * and STFT alike: the signal padded with n_fft/2 zeros on each side, frame t the
 * n_fft samples starting at t*hop of the padded signal (centred on sample t*hop
 * of the signal), times a window. */
#ifndef SENTIO_FRAMES_H
#define SENTIO_FRAMES_H

#include <stddef.h>

/* Frames of n samples: 1 + (n + 2*(n_fft/2) - n_fft) / hop, which is 1 + n/hop
 * for an even n_fft. 0 when the padded signal is shorter than one frame (an odd
 * n_fft and no samples): librosa.util.frame refuses that input ("Input is too
 * short"), so there is no frame to make. */
size_t frames_count(int n_fft, int hop, size_t n);

/* out[0..n_fft-1] = frame t of x[0..n-1] times window[0..n_fft-1]: samples
 * t*hop - n_fft/2 .. t*hop - n_fft/2 + n_fft - 1, zeros outside x. */
void frames_load(const float *x, size_t n, int n_fft, int hop, size_t t, const float *window,
                 float *out);

#endif
