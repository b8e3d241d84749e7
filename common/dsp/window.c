#include "dsp/window.h"

#include <math.h>

void window_hann_periodic(float *w, int n)
{
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < n; i++)
        w[i] = (float)(0.5 - 0.5 * cos(2.0 * pi * i / n));
}

void window_hamming(float *w, int n)
{
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < n; i++)
        w[i] = (float)(0.54 - 0.46 * cos(2.0 * pi * i / (n > 1 ? n - 1 : 1)));
}
