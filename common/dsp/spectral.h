/* spectral.h - spectral balance measures of one frame, as eGeMAPS defines them
 * (Eyben et al. 2016; openSMILE's cSpectral with its eGeMAPS settings). Bin k
 * of a spectrum with spacing df is at k*df Hz; powers are |X[k]|^2. */
#ifndef SENTIO_SPECTRAL_H
#define SENTIO_SPECTRAL_H

#define SPECTRAL_POWER_FLOOR 1e-14 /* powers at or below it count as -140 dB */

/* Alpha ratio (dB): 10 log10 of the power in 1-5 kHz over that below 1 kHz
 * (bins up to and including 5000 Hz; DC counts as below 1 kHz). 0 when there
 * is no power below 1 kHz; the 1-5 kHz power is floored at SPECTRAL_POWER_FLOOR. */
double spectral_alpha_ratio(const float *power, int n_bins, double df);

/* Hammarberg index (dB): 10 log10 of the strongest bin below 2 kHz over the
 * strongest in 2-5 kHz. 0 when 2-5 kHz is empty; the 0-2 kHz peak is floored. */
double spectral_hammarberg(const float *power, int n_bins, double df);

/* The linear-regression slope (dB/Hz) of the log power spectrum over a band, with
 * openSMILE's edge weights: the bins just inside the band's ends are weighted by
 * how far the edges reach into them, and the regression divides by the band's
 * width in bins rather than its bin count. Made once per band and spacing. */
typedef struct {
    int lo, hi;        /* first and last bin */
    double w_lo, w_hi; /* weights of bins lo and hi */
    double width;      /* the band width in bins (the regression's N) */
} spectral_slope_band;

void spectral_slope_band_init(spectral_slope_band *b, double lo_hz, double hi_hz, int n_bins,
                              double df);
/* log_power[k] = 10 log10(power[k]), or -140 at or below SPECTRAL_POWER_FLOOR. */
double spectral_slope(const spectral_slope_band *b, const float *log_power, double df);

/* The last bin below hi_hz: spectral flux uses bins 0..that. */
int spectral_last_bin_below(double hi_hz, int n_bins, double df);
/* Spectral flux: sqrt(mean over bins 0..last of (mag[k] - prev[k])^2), on magnitudes. */
double spectral_flux(const float *mag, const float *prev, int last);

#endif
