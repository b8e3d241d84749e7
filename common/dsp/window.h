/* window.h - analysis windows. */
#ifndef SENTIO_WINDOW_H
#define SENTIO_WINDOW_H

/* The periodic Hann window of length n (scipy.signal.get_window('hann', n,
 * fftbins=True), librosa's default): w[i] = 0.5 - 0.5 cos(2 pi i / n). */
void window_hann_periodic(float *w, int n);

#endif
