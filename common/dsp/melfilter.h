/* melfilter.h - the Slaney-scale mel filterbank of librosa.filters.mel with
 * its defaults (htk=False, norm='slaney'), stored sparsely: each triangular
 * filter keeps only its nonzero range of FFT bins. */
#ifndef SENTIO_MELFILTER_H
#define SENTIO_MELFILTER_H

/* Slaney's auditory-toolbox mel scale: linear below 1 kHz (3 mels per 200 Hz),
 * logarithmic above (27 mels per factor 6.4). */
double mel_from_hz(double hz);
double hz_from_mel(double mel);

typedef struct {
    int n_mels, n_bins; /* n_bins = n_fft / 2 + 1 */
    int *first;         /* filter m covers bins first[m] .. first[m] + len[m] - 1 */
    int *len;
    float **weight; /* weight[m][j] applies to bin first[m] + j; into one block */
    float *block;
    /* The same filters laid out for mel_filterbank_apply: filter m is
     * lanes[m] groups of four weights from bin lane_start[m] on, padded with
     * zeros (moved left where the padding would pass the last bin), then
     * tail[m] (< 4) single weights after them, when it cannot be padded. */
    int *lane_start, *lanes, *tail;
    float *lane_weight;
} mel_filterbank;

/* Builds n_mels filters for an n_fft-point spectrum at rate sr between fmin and
 * fmax (Hz), each normalised to unit area in Hz (Slaney: 2 / bandwidth).
 * Weights are computed in double and rounded to float, as librosa does.
 * Returns 0, or -1 when the arguments are out of range (0 <= fmin < fmax,
 * n_mels >= 1, n_fft >= 2, sr > 0). */
int mel_filterbank_init(mel_filterbank *fb, double sr, int n_fft, int n_mels, double fmin,
                        double fmax);
void mel_filterbank_free(mel_filterbank *fb);

/* out[m] = sum_k weight[m][k] * power[k] for every filter; power has n_bins
 * values and must be finite. Four partial sums per filter, in a fixed order. */
void mel_filterbank_apply(const mel_filterbank *fb, const float *power, float *out);

#endif
