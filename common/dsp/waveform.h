/* waveform.h - a waveform reduced for display: the minimum and maximum sample of
 * each of a fixed number of columns, so a plot of any length draws the same
 * picture as every sample would (the envelope of a peak meter). */
#ifndef SENTIO_WAVEFORM_H
#define SENTIO_WAVEFORM_H

#include <stddef.h>

/* Column i of `columns` covers samples [i*n/columns, (i+1)*n/columns); columns <= n.
 * lo[i] and hi[i] get its smallest and largest sample. */
void waveform_envelope(const float *x, size_t n, size_t columns, float *lo, float *hi);

/* The first sample of column i, as waveform_envelope splits n samples. */
size_t waveform_column_start(size_t n, size_t columns, size_t i);

#endif
