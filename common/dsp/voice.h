/* voice.h - the voice-source low-level descriptors of eGeMAPS v02 (Eyben et al. 2016, as
 * openSMILE 3.0's eGeMAPSv02.conf computes them): F0, jitter, shimmer, HNR, harmonic level
 * differences and the first three formants, one row per 10 ms frame.
 *
 * Frame f is openSMILE's LLD row f (frameTime f * 0.01 s). Every column is smoothed as
 * openSMILE's *_sma3nz columns: a 3-frame moving average over the non-zero values among
 * frames f-1, f, f+1, the edge frame standing in for the missing neighbour at either end
 * (openSMILE's first row is (2 x0 + x1) / 3). openSMILE's plain sma3 columns (loudness, MFCC
 * ...) pad their ends the same way.
 *
 * Unvoiced frames (F0 0 before smoothing) hold 0 in the F0, jitter, shimmer, HNR, H1-H2 and
 * H1-A3 columns. The formant columns differ between openSMILE's two uses of them:
 * - its LLD CSV (`lld_rows` below) has F1-F3 frequency and bandwidth on every frame, voiced
 *   or not, and the formant amplitudes at their -201 dB floor where there is no F0;
 * - its functionals read the formant frequency and bandwidth columns zeroed on unvoiced
 *   frames before the sma3nz (`func_rows` below), so their *_sma3nz functionals cover voiced
 *   frames only; the amplitude columns keep their -201 on unvoiced frames, and openSMILE's
 *   F1amplitudeLogRelF0_sma3nz_amean averages them in (so it lies far below 0 dB).
 * - openSMILE's functionals see two frames fewer than its LLD CSV has rows: over the 216
 *   ravdess3_dev clips the amplitude columns' means match openSMILE's to a median 2e-7
 *   relative without the last two rows, 0.3% with them (the other columns are 0 there).
 *
 * openSMILE's formants are the roots of the LPC predictor polynomial with its coefficient
 * signs flipped, not the model's poles (formant.h has the details); sentio reproduces them.
 *
 * Frames: frame f analyses the 60 ms from sample f*hop (pitch, jitter, harmonics) and the
 * 20 ms from the same sample (formants), hop = round(0.01 sr), as openSMILE aligns them. */
#ifndef SENTIO_VOICE_H
#define SENTIO_VOICE_H

#include <stddef.h>

/* Columns, in the order of the last 15 LLD columns of openSMILE's eGeMAPS v02 output. */
enum {
    VOICE_F0_SEMITONE, /* F0semitoneFrom27.5Hz_sma3nz: 12 log2(F0 / 27.5 Hz) */
    VOICE_JITTER,      /* jitterLocal_sma3nz: mean |period difference| / mean period */
    VOICE_SHIMMER_DB,  /* shimmerLocaldB_sma3nz: 20 log10(1 + s), s = mean |difference of
                          consecutive periods' peak-to-peak amplitudes| / their mean */
    VOICE_HNR_DB,      /* HNRdBACF_sma3nz: 10 log10(r(T) / (r(0) - r(T))), r the ACF of the
                          60 ms frame, T its peak nearest the lag sr/F0 */
    VOICE_H1H2,        /* logRelF0-H1-H2_sma3nz: openSMILE counts harmonics from 0 (= F0), so
                          this is the dB level at 2 F0 minus that at 3 F0 */
    VOICE_H1A3,        /* logRelF0-H1-A3_sma3nz: dB level at 2 F0 minus that of the strongest
                          harmonic within 20% of F3 */
    VOICE_F1_FREQ,     /* F1frequency_sma3nz (Hz) */
    VOICE_F1_BW,       /* F1bandwidth_sma3nz (Hz) */
    VOICE_F1_AMP,      /* F1amplitudeLogRelF0_sma3nz: dB level of the strongest harmonic within
                          20% of F1 relative to F0's bin; 0 when none, -201 unvoiced */
    VOICE_F2_FREQ,
    VOICE_F2_BW,
    VOICE_F2_AMP,
    VOICE_F3_FREQ,
    VOICE_F3_BW,
    VOICE_F3_AMP,
    VOICE_NLLD
};

/* openSMILE's column name of voice LLD column c (0 <= c < VOICE_NLLD). */
const char *voice_lld_name(int c);

/* The number of 10 ms frames openSMILE writes for n samples at rate sr: with hop
 * round(0.01 sr) and pitch frames of round(0.06 sr) samples, one per full 60 ms frame plus one
 * final partial frame; 0 when n is shorter than 60 ms (openSMILE writes no row for such a clip). */
size_t voice_frames(size_t n, double sr);

/* The voice LLDs of x[0..n-1] (mono, rate sr Hz) for 10 ms frames 0..nframes-1 (frame f as
 * openSMILE's eGeMAPS v02 LLD row f), already smoothed as openSMILE's *_sma3nz columns;
 * unvoiced frames hold 0 in the F0..H1-A3 columns. rows has nframes*VOICE_NLLD floats, row-major.
 * 0, or -1 with a message in err. (Formant columns: see the top of this file.) */
int voice_lld_compute(const float *x, size_t n, double sr, size_t nframes, float *rows, char *err,
                      size_t errlen);

/* A reusable workspace (FFT plans, windows, buffers) for many clips, possibly at different
 * rates (it re-plans when the rate changes): voice_lld_compute is voice_workspace_create +
 * voice_lld_compute_ws + free. One workspace per thread; plans are made under a lock, so
 * workspaces may be created in any thread. */
typedef struct voice_workspace voice_workspace;
voice_workspace *voice_workspace_create(void);
void voice_workspace_free(voice_workspace *w);

/* As voice_lld_compute, with a workspace and two optional outputs (NULL to skip):
 * - func_rows (nframes*VOICE_NLLD): the columns as openSMILE's functionals read them (the
 *   formant frequencies and bandwidths zeroed on unvoiced frames before the sma3nz; the rest
 *   as lld_rows);
 * - f0_hz (nframes): the final F0 in Hz before any smoothing, 0 when unvoiced: openSMILE's
 *   F0final, on which its voiced/unvoiced selection of the spectral LLDs (alphaRatioV,
 *   hammarbergIndexUV, mfcc1V, ...) is based. (Its voiced-segment statistics,
 *   VoicedSegmentsPerSec and the segment lengths, read the smoothed VOICE_F0_SEMITONE column.)
 * lld_rows (NULL too to skip) is the same as voice_lld_compute's rows. Without it, formants
 * are found on voiced frames only (nothing else reads them), which saves their LPC analysis on
 * every unvoiced frame. */
int voice_lld_compute_ws(voice_workspace *w, const float *x, size_t n, double sr, size_t nframes,
                         float *lld_rows, float *func_rows, float *f0_hz, char *err, size_t errlen);

#endif
