/* eglld.h - the ten spectral and energy low-level descriptors of eGeMAPS v02
 * (Eyben et al. 2016, as openSMILE 3.0's eGeMAPSv02.conf computes them), before
 * smoothing, one row per 10 ms frame.
 *
 * Frames: FRAME 20 ms long (round(0.02 sr) samples) every round(0.01 sr)
 * samples from sample 0, complete frames only; Hamming window; zero-padded
 * on both sides to the next power of two; magnitude spectrum |X[k]| (samples
 * in [-1, 1], no normalisation). From it:
 *   loudness         auditory spectrum: 26 triangular mel bands 20-8000 Hz of
 *                    |X|^2, equal-loudness weighted, ^0.33, band mean (loudness.h)
 *   alphaRatio       dB, power 1-5 kHz over 0-1 kHz (spectral.h)
 *   hammarbergIndex  dB, strongest bin 0-2 kHz over strongest 2-5 kHz
 *   slope0-500, slope500-1500  regression slopes of the dB power spectrum
 *   spectralFlux     RMS difference of magnitudes from the previous frame, bins
 *                    below 5 kHz (0 on the first frame)
 *   mfcc1-4          HTK-style MFCCs: the same 26 bands of |X|^2 scaled by 32767^2,
 *                    ln(max(1, band)), DCT-II with sqrt(2/26), liftered by
 *                    1 + 11 sin(pi i / 22)
 * plus the frame's mean square (unwindowed), for the equivalent sound level. */
#ifndef SENTIO_EGLLD_H
#define SENTIO_EGLLD_H

#include <stddef.h>

enum {
    EGLLD_LOUDNESS,
    EGLLD_ALPHA_RATIO,
    EGLLD_HAMMARBERG,
    EGLLD_SLOPE0_500,
    EGLLD_SLOPE500_1500,
    EGLLD_FLUX,
    EGLLD_MFCC1,
    EGLLD_MFCC2,
    EGLLD_MFCC3,
    EGLLD_MFCC4,
    EGLLD_NSPECTRAL,                /* the ten columns above, in openSMILE's LLD order */
    EGLLD_ENERGY = EGLLD_NSPECTRAL, /* mean square of the frame's samples */
    EGLLD_NCOLS
};

/* Samples per frame and per hop at rate sr (as openSMILE rounds them). */
size_t eglld_frame_len(double sr);
size_t eglld_hop(double sr);
/* Complete 20 ms frames in n samples. */
size_t eglld_frames(size_t n, double sr);

/* Reusable per-thread state: FFT plan, window, filterbank, buffers; rebuilt
 * when the rate changes. */
typedef struct eglld eglld;
eglld *eglld_new(void);
void eglld_free(eglld *e);

/* rows[t*EGLLD_NCOLS + c] for frames t = 0..eglld_frames(n, sr)-1 of x[0..n-1].
 * Returns 0, or -1 with err set when sr cannot be handled (below 1 kHz or
 * beyond a 65536-point FFT). */
int eglld_compute(eglld *e, const float *x, size_t n, double sr, double *rows, char *err,
                  size_t errlen);

#endif
