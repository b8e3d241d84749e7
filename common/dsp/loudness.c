#include "dsp/loudness.h"

#include <math.h>

double loudness_equal_weight(double f_hz)
{
    double w = 2.0 * 3.14159265358979323846 * f_hz, w2 = w * w;
    double c = w2 + 6.3e6;
    return 1e32 * ((w2 + 56.8e6) * w2 * w2) / (c * c * (w2 + 0.38e9) * (w2 * w2 * w2 * w + 1.7e31));
}

double loudness_from_bands(const double *power, const double *weight, int n_bands)
{
    if (n_bands < 1)
        return 0;
    double sum = 0;
    for (int b = 0; b < n_bands; b++) {
        double p = power[b] < LOUDNESS_FLOOR ? LOUDNESS_FLOOR : power[b];
        sum += pow(p * weight[b], LOUDNESS_COMPRESSION);
    }
    return sum / n_bands;
}
