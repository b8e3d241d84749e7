/* powerdb.h - decibels as librosa computes them: power_to_db(S, ref=1.0,
 * amin=1e-10, top_db=None), i.e. 10 * log10(max(1e-10, x)), in float, with a
 * natural logarithm of its own that runs four values at a time; its top_db clip;
 * and amplitude_to_db for one magnitude against a reference. */
#ifndef SENTIO_POWERDB_H
#define SENTIO_POWERDB_H

#include <stddef.h>

/* The floor: 1e-10, i.e. -100 dB. */
#define POWERDB_AMIN 1e-10f

/* x[i] = 10 * log10(max(POWERDB_AMIN, x[i])) for i < n, within 2e-6 relative
 * (about 2 float ulps) of the exact value; +inf gives 10 log10(2^128) = 385.3
 * and NaN the floor. Deterministic: the same x gives the same bits on every
 * x86-64 and whatever n and the position of x[i] in it. */
void power_to_db(float *x, size_t n);

/* librosa's top_db clip of a dB array: x[i] = max(x[i], max(x) - top_db), the
 * floor computed in double and rounded to float once. n >= 1. */
void db_clip_top(float *x, size_t n, double top_db);

/* librosa.amplitude_to_db's floor for magnitudes: 1e-5, i.e. -100 dB. */
#define AMPLITUDE_DB_AMIN 1e-5

/* librosa.amplitude_to_db(mag, ref=ref, amin=AMPLITUDE_DB_AMIN, top_db=top_db) for
 * one value whose array maximum is ref: 20 log10(max(amin, mag)) - 20 log10(max(amin,
 * ref)), floored at -top_db (top_db <= 0 disables the floor). In double. */
double amplitude_to_db(double mag, double ref, double top_db);

#endif
