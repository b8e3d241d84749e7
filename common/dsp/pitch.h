/* pitch.h - F0 by subharmonic summation (Hermes 1988) with Viterbi smoothing, as openSMILE 3.0's
 * eGeMAPS v02 configures it (cSpecScale + cPitchShs + cPitchSmootherViterbi + the RMS gate).
 *
 * Per 10 ms frame: a 60 ms frame (Gaussian window, sigma 0.4 of the half length) is transformed
 * (zero-padded to a power of two); its magnitude spectrum has the bins between peaks zeroed
 * (peak enhancement), is smoothed with a [1 2 1]/4 kernel, interpolated by a natural cubic
 * spline onto a log2-frequency axis of as many points as the spectrum has bins, from 25 Hz to
 * sr/2, and weighted by an arctan auditory sensitivity curve. Subharmonic summation adds
 * the spectrum shifted down by log2(h) octaves for h = 2..15 with weight 0.85^(h-1). The six
 * highest peaks of that sum (parabolically interpolated) are the F0 candidates, with voicing
 * 1 - mean/peak; candidates outside 55..1000 Hz are dropped; voicing cutoff 0.7.
 * A Viterbi search over the candidates and an unvoiced state (local cost from the voicing,
 * a preference for 100-350 Hz, transition costs from the log-frequency jump and its change,
 * and for voicing changes; decisions when all paths merge or after 40 frames) picks F0 per
 * frame, and frames whose windowed RMS is at most 0.001 are unvoiced. */
#ifndef SENTIO_PITCH_H
#define SENTIO_PITCH_H

#include <stddef.h>

#define PITCH_NCAND 6

/* The vertex x of the parabola through three points, its height in *peak (when not NULL); the
 * highest of the three points when they make no parabola. */
double dsp_parabola_peak(double x1, double y1, double x2, double y2, double x3, double y3,
                         double *peak);

typedef struct {
    float f0[PITCH_NCAND]; /* Hz, 0 for an empty slot; the best-scored first */
    float voicing[PITCH_NCAND];
    float f0raw;        /* f0[0] when voicing[0] > the cutoff, else 0 */
    float voicing_clip; /* voicing[0] when above the cutoff, else 0 */
    float rms;          /* RMS of the windowed 60 ms frame */
} pitch_cands;

typedef struct pitch_shs pitch_shs;

/* The tracker for rate sr (8000..384000 Hz); NULL if sr is out of range. */
pitch_shs *pitch_shs_create(double sr);
void pitch_shs_free(pitch_shs *p);

size_t pitch_frame_len(const pitch_shs *p); /* samples in a 60 ms frame */
size_t pitch_hop(const pitch_shs *p);       /* samples in 10 ms */
size_t pitch_fft_bins(const pitch_shs *p);  /* magnitude bins of the padded frame */
double pitch_rate(const pitch_shs *p);

/* Candidates of the 60 ms frame starting at sample `start` of x[0..n-1] (zeros past n); mag,
 * when not NULL, receives the frame's magnitude spectrum (pitch_fft_bins floats). */
void pitch_shs_frame(pitch_shs *p, const float *x, size_t n, size_t start, pitch_cands *c,
                     float *mag);

/* Only the magnitude spectrum of that frame (and, when rms is not NULL, its windowed RMS). */
void pitch_frame_magnitude(pitch_shs *p, const float *x, size_t n, size_t start, float *mag,
                           float *rms);

/* For the tests: p runs its portable loops from now on, even where the CPU has AVX2 (its
 * AVX2 kernels give the same bits). */
void pitch_shs_portable(pitch_shs *p);

/* The Viterbi-smoothed F0 (Hz, 0 unvoiced) of frames c[0..nframes-1], gated by RMS > 0.001. */
void pitch_viterbi(const pitch_cands *c, size_t nframes, float *f0);

#endif
