#include "dsp/trimel.h"

#include "base/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double trimel_mel(double hz) { return hz > 0 ? 1127.0 * log(1.0 + hz / 700.0) : 0.0; }
double trimel_hz(double mel) { return 700.0 * (exp(mel / 1127.0) - 1.0); }

int trimel_init(trimel_bank *b, int n_bands, int n_bins, double df, double lo_hz, double hi_hz)
{
    memset(b, 0, sizeof *b);
    if (n_bands < 1 || n_bins < 2 || !(df > 0))
        return -1;
    double nyquist = df * (n_bins - 1);
    if (lo_hz < 0 || lo_hz > nyquist || lo_hz > hi_hz)
        lo_hz = 0;
    if (hi_hz < lo_hz || hi_hz > nyquist || hi_hz <= 0)
        hi_hz = nyquist;
    b->n_bands = n_bands;
    b->n_bins = n_bins;
    double lo_mel = trimel_mel(lo_hz), hi_mel = trimel_mel(hi_hz);
    double step = (hi_mel - lo_mel) / (n_bands + 1);
    double *c = cli_xmalloc(((size_t)n_bands + 2) * sizeof *c);
    for (int m = 0; m < n_bands + 2; m++)
        c[m] = lo_mel + m * step;
    b->centre_hz = cli_xmalloc((size_t)n_bands * sizeof *b->centre_hz);
    for (int m = 0; m < n_bands; m++)
        b->centre_hz[m] = trimel_hz(c[m + 1]);
    long lo_bin = lround(lo_hz / df), hi_bin = lround(hi_hz / df);
    if (lo_bin > n_bins)
        lo_bin = n_bins;
    if (hi_bin > n_bins)
        hi_bin = n_bins;
    b->first = (int)lo_bin + 1;
    b->last = (int)hi_bin - 1;
    b->band = cli_xcalloc((size_t)n_bins, sizeof *b->band);
    b->weight = cli_xcalloc((size_t)n_bins, sizeof *b->weight);
    int j = 0;
    for (int k = b->first; k <= b->last; k++) {
        double mel = trimel_mel(k * df);
        while (j < n_bands && mel > c[j + 1])
            j++;
        b->band[k] = j - 1;
        b->weight[k] = (float)((c[j + 1] - mel) / (c[j + 1] - c[j]));
    }
    free(c);
    return 0;
}

void trimel_free(trimel_bank *b)
{
    free(b->band);
    free(b->weight);
    free(b->centre_hz);
    memset(b, 0, sizeof *b);
}

void trimel_apply(const trimel_bank *b, const float *power, double *bands)
{
    for (int m = 0; m < b->n_bands; m++)
        bands[m] = 0;
    for (int k = b->first; k <= b->last; k++) {
        int j = b->band[k];
        double p = power[k], share = p * b->weight[k];
        if (j >= 0)
            bands[j] += share;
        if (j + 1 < b->n_bands)
            bands[j + 1] += p - share;
    }
}
