#include "dsp/spectral.h"

#include <math.h>

static double floored_db_ratio(double num, double den)
{
    return num > SPECTRAL_POWER_FLOOR ? 10.0 * log10(num / den)
                                      : 10.0 * (log10(SPECTRAL_POWER_FLOOR) - log10(den));
}

double spectral_alpha_ratio(const float *power, int n_bins, double df)
{
    double low = 0, high = 0;
    for (int k = 0; k < n_bins && k * df <= 5000.0; k++) {
        if (k * df < 1000.0)
            low += power[k];
        else
            high += power[k];
    }
    return low > 0 ? floored_db_ratio(high, low) : 0.0;
}

double spectral_hammarberg(const float *power, int n_bins, double df)
{
    double low = 0, high = 0;
    for (int k = 0; k < n_bins && k * df <= 5000.0; k++) {
        if (k * df < 2000.0) {
            if (power[k] > low)
                low = power[k];
        } else if (power[k] > high) {
            high = power[k];
        }
    }
    return high > 0 ? floored_db_ratio(low, high) : 0.0;
}

void spectral_slope_band_init(spectral_slope_band *b, double lo_hz, double hi_hz, int n_bins,
                              double df)
{
    /* Lower end: the bin below the first one above lo_hz, weighted by the part
     * of the bin step that lies above lo_hz. */
    int k = 0;
    while (k < n_bins && k * df <= lo_hz)
        k++;
    b->w_lo = (k < n_bins && k > 0) ? (k * df - lo_hz) / df : 1.0;
    double lo = k - 1 < 0 ? 0 : k - 1;
    if (lo >= n_bins)
        lo = n_bins;
    /* Upper end: the last bin below hi_hz (or the bin at it), weighted by the part
     * of the step up to hi_hz. */
    k = 0;
    while (k < n_bins && k * df < hi_hz)
        k++;
    b->w_hi = (k < n_bins && k > 0) ? (hi_hz - (k - 1) * df) / df : 1.0;
    double hi = (k < n_bins && k * df == hi_hz) ? k : k - 1;
    if (hi >= n_bins)
        hi = n_bins - 1;
    if (b->w_lo == 0)
        b->w_lo = 1;
    if (b->w_hi == 0)
        b->w_hi = 1;
    b->width = hi - lo;
    b->lo = (int)lo;
    b->hi = (int)hi;
    if (b->lo >= n_bins) {
        b->lo = b->hi = n_bins - 1;
        b->w_lo = b->w_hi = 0;
    }
    if (b->hi < 0)
        b->hi = 0;
}

double spectral_slope(const spectral_slope_band *b, const float *log_power, double df)
{
    double f = b->lo * df * b->w_lo;
    double sf = f, sf2 = f * f, sfl = f * log_power[b->lo], sl = b->w_lo * log_power[b->lo];
    for (int k = b->lo + 1; k < b->hi; k++) {
        f = k * df;
        sf += f;
        sf2 += f * f;
        sfl += f * log_power[k];
        sl += log_power[k];
    }
    f = b->hi * df * b->w_hi;
    sf += f;
    sf2 += f * f;
    sfl += f * log_power[b->hi];
    sl += b->w_hi * log_power[b->hi];
    double n = b->width, den = n * sf2 - sf * sf;
    return den != 0 ? (n * sfl - sf * sl) / den : 0.0;
}

int spectral_last_bin_below(double hi_hz, int n_bins, double df)
{
    int last = 0;
    for (int k = 0; k < n_bins; k++)
        if (k * df < hi_hz)
            last = k;
    return last;
}

double spectral_flux(const float *mag, const float *prev, int last)
{
    double sum = 0;
    for (int k = 0; k <= last; k++) {
        double d = (double)mag[k] - prev[k];
        sum += d * d;
    }
    sum /= last + 1;
    return sum > 0 ? sqrt(sum) : 0.0;
}
