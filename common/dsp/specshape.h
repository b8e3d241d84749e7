/* specshape.h - the shape of a frame's power spectrum (the spectral descriptors of openSMILE's
 * ComParE 2016 set, in sentio's own definitions), and the 10 ms frames wav2egemaps --extra
 * reads them from.
 *
 * Over the bins lo..hi of a power spectrum P (bin k at f_k = k df Hz), with p_k = P_k / sum P:
 *   centroid   mu = sum f_k p_k (Hz)
 *   spread     sigma = sqrt(sum (f_k - mu)^2 p_k) (Hz)
 *   skewness   sum (f_k - mu)^3 p_k / sigma^3 (0 when sigma is 0)
 *   kurtosis   sum (f_k - mu)^4 p_k / sigma^4 (0 when sigma is 0)
 *   entropy    -sum p_k ln p_k / ln(bins): 1 for a flat spectrum, 0 for one bin
 *   flatness   geometric over arithmetic mean of max(P_k, SPECSHAPE_FLOOR): 1 flat, near 0 tonal
 *   roll-off q the lowest f_k at which sum_{j <= k} p_j >= q, for q = 0.25, 0.5, 0.75, 0.9
 *   flux       sqrt(sum (p_k - p'_k)^2), p' the previous frame's: level-independent change
 * A frame whose power over the band is at most SPECSHAPE_FLOOR gives 0 everywhere. */
#ifndef SENTIO_SPECSHAPE_H
#define SENTIO_SPECSHAPE_H

#include <stddef.h>

#define SPECSHAPE_FLOOR 1e-14
#define SPECSHAPE_LO_HZ 50.0   /* the band the frames are measured over: speech's */
#define SPECSHAPE_HI_HZ 8000.0 /* (or the Nyquist frequency when lower) */

enum {
    SPECSHAPE_CENTROID,
    SPECSHAPE_SPREAD,
    SPECSHAPE_SKEWNESS,
    SPECSHAPE_KURTOSIS,
    SPECSHAPE_ENTROPY,
    SPECSHAPE_FLATNESS,
    SPECSHAPE_ROLLOFF25,
    SPECSHAPE_ROLLOFF50,
    SPECSHAPE_ROLLOFF75,
    SPECSHAPE_ROLLOFF90,
    SPECSHAPE_FLUX,
    SPECSHAPE_NCOLS
};

/* Columns CENTROID..ROLLOFF90 of bins lo..hi (0 <= lo <= hi) of power into out. */
void specshape_compute(const float *power, int lo, int hi, double df, double *out);

/* Flux between power and prev over bins lo..hi, each normalised to sum 1; 0 when either has no
 * power. */
double specshape_flux(const float *power, const float *prev, int lo, int hi);

/* Per-thread frame analyser: 20 ms Hamming frames every 10 ms from sample 0, zero-padded to a
 * power of two, complete frames only (the frames of dsp/eglld.h, so row t is eGeMAPS's frame
 * t); rebuilt when the rate changes. */
typedef struct specshape specshape;
specshape *specshape_new(void);
void specshape_free(specshape *s);

/* rows[t * SPECSHAPE_NCOLS + c] for the eglld_frames(n, sr) frames of x (flux 0 on the first).
 * Returns 0, or -1 with err when sr is below 1 kHz or beyond a 65536-point FFT. */
int specshape_frames(specshape *s, const float *x, size_t n, double sr, double *rows, char *err,
                     size_t errlen);

#endif
