/* powerdb.h - power to decibels as librosa.power_to_db(S, ref=1.0, amin=1e-10,
 * top_db=None) computes it: 10 * log10(max(1e-10, x)), in float, with a
 * natural logarithm of its own that runs four values at a time. */
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

#endif
