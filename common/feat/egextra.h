/* egextra.h - descriptors eGeMAPS v02 leaves out, appended to its 88 functionals by
 * wav2egemaps --extra (set egemaps02+extra; man 1 wav2egemaps lists the names and the study
 * that chose them): formants as the LPC model's poles (eGeMAPS's formant columns are not, see
 * dsp/formant.h), and speech rhythm (speech duration, pauses, voicing, loudness-peak rate and
 * its regularity). They read the LLDs an eGeMAPS extraction already made (feat/egemaps.c)
 * and their own formants (dsp/formant.h).
 *
 * Frames (10 ms rows t, as eGeMAPS's): voiced when openSMILE's final F0 is above 0 (the
 * frames of eGeMAPS's *V functionals); active when the frame's mean square is at most
 * EGEXTRA_ACTIVE_DB below the clip's 95th percentile of it (and above 1e-10); the speech span
 * runs from the first to the last active frame, so leading and trailing silence does not
 * count. Undefined statistics (no voiced frame, no active frame, fewer than two peaks) are 0;
 * nothing is NaN. */
#ifndef SENTIO_EGEXTRA_H
#define SENTIO_EGEXTRA_H

#include <stddef.h>

#define EGEXTRA_SET "egemaps02+extra"
#define EGEXTRA_ACTIVE_DB 35.0

/* The descriptor groups, in output order. */
enum { EGEXTRA_FORMANT, EGEXTRA_RHYTHM, EGEXTRA_NGROUPS };

/* Functionals in all groups, and group g's first column (within the extra) and count. */
int egextra_count(void);
int egextra_group_first(int g);
int egextra_group_count(int g);
/* The name of extra functional i (0..egextra_count()-1), NULL outside. */
const char *egextra_name(int i);

/* What an eGeMAPS extraction of one clip leaves (feat/egemaps.c fills it). */
typedef struct {
    const float *x; /* the clip, mono */
    size_t n;
    double sr;
    size_t n25;         /* complete 20 ms frames: rows of raw and loud */
    size_t npitch;      /* frames the pitch-based functionals see: rows of voice, f0_hz */
    const double *raw;  /* n25 x EGLLD_NCOLS (dsp/eglld.h) before smoothing */
    const double *loud; /* n25: loudness, sma3-smoothed */
    const float *voice; /* npitch x VOICE_NLLD: voice_lld_compute_ws's func_rows */
    const float *f0_hz; /* npitch: final F0 before smoothing, 0 unvoiced */
} egextra_input;

/* Per-thread workspace, reused across clips. */
typedef struct egextra egextra;
egextra *egextra_new(void);
void egextra_free(egextra *e);

/* The egextra_count() functionals of one clip into out. */
void egextra_compute(egextra *e, const egextra_input *in, float *out);

#endif
