/* formant.h - formant frequencies and bandwidths by LPC, as openSMILE 3.0's eGeMAPS v02
 * computes them (cSpecResample + cLpc + cFormantLpc): a 20 ms Hamming-windowed frame is
 * transformed, resampled to 11 kHz through its spectrum (the bins below the new Nyquist
 * frequency summed at the new sample times), analysed by order-11 autocorrelation LPC
 * (Levinson-Durbin), and the roots of the predictor polynomial (Aberth-Ehrlich from the previous
 * frame's roots, GSL's companion-matrix solver to start), reflected into the unit
 * circle, give formants: each root of non-negative imaginary part whose angle lies in
 * 50..5450 Hz, with bandwidth -ln|r| fs / pi, in ascending frequency.
 *
 * openSMILE's polynomial: cFormantLpc takes the roots of z^p - a1 z^(p-1) - ... - ap where
 * Levinson-Durbin gives A(z) = 1 + a1 z^-1 + ... + ap z^-p, i.e. of the predictor with its
 * coefficient signs flipped. Those roots are not the poles of the LPC model: on a synthetic
 * vowel (resonators at 700, 1220, 2600 Hz) they give about 1160, 1450, 2690 Hz where the true
 * poles give 699, 1220, 2601 Hz. eGeMAPS v02's formant columns, and every published table
 * made with openSMILE 3.0, are those roots; sentio reproduces them for fidelity
 * (opensmile_sign = 1) and offers the poles of A(z) (opensmile_sign = 0). */
#ifndef SENTIO_FORMANT_H
#define SENTIO_FORMANT_H

#include <stddef.h>

#define FORMANT_MAX 5

typedef struct formant_lpc formant_lpc;

/* NULL when sr is outside 8000..384000 Hz. opensmile_sign: 1 for openSMILE's polynomial, 0
 * for the LPC model's poles (see above). */
formant_lpc *formant_create(double sr, int opensmile_sign);
void formant_free(formant_lpc *f);

/* Frames are analysed in order: each frame's polynomial roots are sought from the last frame's
 * (the result agrees with a fresh search to about 1e-14). formant_reset forgets the last
 * frame, so that a clip's formants do not depend on the clip analysed before it. */
void formant_reset(formant_lpc *f);

/* Formants of the 20 ms frame starting at sample `start` of x[0..n-1] (zeros past n): up to
 * FORMANT_MAX frequencies and bandwidths in Hz, ascending; 0 where fewer were found.
 * Returns how many were found. */
int formant_frame(formant_lpc *f, const float *x, size_t n, size_t start, float freq[FORMANT_MAX],
                  float bw[FORMANT_MAX]);

#endif
