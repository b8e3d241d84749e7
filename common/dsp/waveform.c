#include "dsp/waveform.h"

size_t waveform_column_start(size_t n, size_t columns, size_t i)
{
    /* i*n can overflow size_t only for absurd clips; split the product. */
    return (i / columns) * n + (i % columns) * n / columns;
}

void waveform_envelope(const float *x, size_t n, size_t columns, float *lo, float *hi)
{
    for (size_t i = 0; i < columns; i++) {
        size_t a = waveform_column_start(n, columns, i),
               b = waveform_column_start(n, columns, i + 1);
        float mn = x[a], mx = x[a];
        for (size_t j = a + 1; j < b; j++) {
            if (x[j] < mn)
                mn = x[j];
            if (x[j] > mx)
                mx = x[j];
        }
        lo[i] = mn;
        hi[i] = mx;
    }
}
