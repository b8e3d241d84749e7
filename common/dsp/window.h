/* window.h - analysis windows. */
#ifndef SENTIO_WINDOW_H
#define SENTIO_WINDOW_H

/* The periodic Hann window of length n (scipy.signal.get_window('hann', n,
 * fftbins=True), librosa's default): w[i] = 0.5 - 0.5 cos(2 pi i / n). */
void window_hann_periodic(float *w, int n);

/* The symmetric Hamming window of length n >= 2 (openSMILE's, and
 * scipy.signal.get_window('hamming', n, fftbins=False)):
 * w[i] = 0.54 - 0.46 cos(2 pi i / (n - 1)). */
void window_hamming(float *w, int n);

#endif
