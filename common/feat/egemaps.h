/* egemaps.h - the eGeMAPS v02 acoustic parameter set (Eyben et al., IEEE Trans.
 * Affective Computing 7(2), 2016) as openSMILE 3.0's eGeMAPSv02.conf computes it:
 * 25 low-level descriptors per 10 ms frame and 88 functionals per clip, in
 * openSMILE's order and with its names (man 1 wav2egemaps lists them).
 *
 * The spectral LLDs come from dsp/eglld.h, the voice LLDs from dsp/voice.h.
 * Which frames each functional sees follows openSMILE (checked against its
 * output): the pitch-based ones (F0, voice quality, formants, the voiced and
 * unvoiced selections of the spectral LLDs, the segment statistics) see the LLD
 * rows but the last two, their contours smoothed over all the rows first;
 * loudness, spectral flux, MFCCs and the sound level see every complete 20 ms
 * frame. Undefined statistics (no voiced frame, no segment) are
 * 0, as openSMILE writes them; nothing is ever NaN. */
#ifndef SENTIO_EGEMAPS_H
#define SENTIO_EGEMAPS_H

#include <stddef.h>

#define EGEMAPS_NFUNC 88
#define EGEMAPS_NLLD 25
#define EGEMAPS_SET "egemaps02"

/* openSMILE's name of functional i (0..87) and of LLD column c (0..24). */
const char *egemaps_func_name(int i);
const char *egemaps_lld_name(int c);

/* Per-thread workspace (FFT plans, buffers), reused across clips. */
typedef struct egemaps egemaps;
egemaps *egemaps_new(void);
void egemaps_free(egemaps *g);

/* The 88 functionals of x[0..n-1] at rate sr into out. Returns 0, or -1 with err. */
int egemaps_functionals(egemaps *g, const float *x, size_t n, double sr, float *out, char *err,
                        size_t errlen);

/* The 88 functionals, then egextra_count() more (feat/egextra.h, set EGEXTRA_SET) from the
 * same LLDs: out has EGEMAPS_NFUNC + egextra_count() floats, the first 88 exactly those of
 * egemaps_functionals. Returns 0, or -1 with err. */
int egemaps_functionals_extra(egemaps *g, const float *x, size_t n, double sr, float *out,
                              char *err, size_t errlen);

/* As egemaps_functionals with the voice LLDs given instead of computed (for
 * checking the functionals against another implementation's LLDs): voice_func
 * as voice_lld_compute_ws's func_rows and f0_hz (F0 in Hz before smoothing, 0
 * when unvoiced), nrows = voice_frames(n, sr) rows. */
int egemaps_functionals_given_voice(egemaps *g, const float *x, size_t n, double sr,
                                    const float *voice_func, const float *f0_hz, size_t nrows,
                                    float *out, char *err, size_t errlen);

/* The 25 LLDs per 10 ms frame: *rows x EGEMAPS_NLLD floats, row-major, owned by g
 * and valid until its next call (openSMILE's LLD rows: none for a clip shorter
 * than 60 ms). Returns NULL with err set on failure. */
const float *egemaps_llds(egemaps *g, const float *x, size_t n, double sr, size_t *rows, char *err,
                          size_t errlen);

#endif
