#include "dsp/dct.h"

#include <math.h>

void dct2_ortho_matrix(float *d, int n_out, int n)
{
    const double pi = 3.14159265358979323846;
    for (int k = 0; k < n_out; k++) {
        double s = k == 0 ? sqrt(1.0 / n) : sqrt(2.0 / n);
        for (int i = 0; i < n; i++)
            d[(long)k * n + i] = (float)(s * cos(pi * k * (2.0 * i + 1.0) / (2.0 * n)));
    }
}
