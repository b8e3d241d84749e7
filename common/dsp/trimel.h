/* trimel.h - the triangular mel filterbank of openSMILE's cMelspec (HTK's mel
 * scale, mel(f) = 1127 ln(1 + f/700)): n_bands triangles with peak 1 whose
 * edges and centres are equally spaced in mel between lo_hz and hi_hz, applied
 * to a power spectrum. A bin's mel value decides its weights: between centres
 * c[j] < mel <= c[j+1] it gives (c[j+1] - mel)/(c[j+1] - c[j]) of its power to
 * band j-1 and the rest to band j. Only bins strictly between round(lo_hz/df)
 * and round(hi_hz/df) count (df = bin spacing). */
#ifndef SENTIO_TRIMEL_H
#define SENTIO_TRIMEL_H

typedef struct {
    int n_bands, n_bins;
    int first, last;   /* bins first..last contribute */
    int *band;         /* band[k]: the band k's power falls to first (j-1 above; may be -1) */
    float *weight;     /* weight[k]: its share to band[k]; 1 - weight[k] goes to band[k] + 1 */
    double *centre_hz; /* n_bands centre frequencies */
} trimel_bank;

double trimel_mel(double hz);
double trimel_hz(double mel);

/* n_bins = FFT bins (n_fft/2 + 1) at spacing df Hz. hi_hz beyond the Nyquist
 * frequency (or <= lo_hz) becomes the Nyquist frequency; lo_hz out of range
 * becomes 0, as cMelspec does. Returns 0, or -1 for n_bands < 1 or n_bins < 2. */
int trimel_init(trimel_bank *b, int n_bands, int n_bins, double df, double lo_hz, double hi_hz);
void trimel_free(trimel_bank *b);
/* bands[0..n_bands-1] from power[0..n_bins-1], sums in double. */
void trimel_apply(const trimel_bank *b, const float *power, double *bands);

#endif
