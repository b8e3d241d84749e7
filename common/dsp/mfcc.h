/* mfcc.h - MFCCs exactly as librosa 0.10 computes them:
 *   librosa.feature.mfcc(y=y, sr=sr, n_mfcc, n_fft, hop_length, n_mels, fmin, fmax)
 * i.e. centred frames with zero padding, periodic Hann window, power spectrum,
 * Slaney mel filterbank, 10*log10(max(1e-10, x)) clipped at the clip's maximum
 * minus top_db, orthonormal DCT-II, the first n_mfcc; then pooled over time. */
#ifndef SENTIO_MFCC_H
#define SENTIO_MFCC_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { MFCC_POOL_MEAN, MFCC_POOL_MEANSTD, MFCC_POOL_NONE } mfcc_pool;

typedef struct {
    int n_fft, hop, n_mels, n_mfcc;
    double fmin;
    double fmax;  /* <= 0: the Nyquist frequency of each clip's rate */
    bool clip_db; /* false: no top_db clipping */
    double top_db;
    mfcc_pool pool;
} mfcc_config;

/* librosa's defaults: 2048, 512, 128 mels, 40 MFCCs, 0 Hz..sr/2, top_db 80, mean. */
void mfcc_config_defaults(mfcc_config *c);
/* NULL when c is usable at rate sr, else what is wrong. */
const char *mfcc_config_check(const mfcc_config *c, double sr);
/* The effective upper frequency at rate sr. */
double mfcc_config_fmax(const mfcc_config *c, double sr);
/* How many of the n_mels filters at rate sr start above source_sr / 2: audio
 * recorded at source_sr and resampled to sr holds nothing there. */
int mfcc_config_empty_bands(const mfcc_config *c, double sr, double source_sr);
/* The metadata string of INTERFACES.md, e.g.
 * "sr=22050 n_fft=2048 hop=512 n_mels=128 n_mfcc=40 fmin=0 fmax=11025 top_db=80 pool=mean";
 * sr_text is "native" or NULL (then sr is printed). Returns snprintf's count. */
int mfcc_config_meta(const mfcc_config *c, const char *sr_text, double sr, char *buf, size_t len);
const char *mfcc_pool_name(mfcc_pool p);
/* 0 and *p set for "mean", "meanstd" or "none"; -1 otherwise. */
int mfcc_pool_parse(const char *text, mfcc_pool *p);

/* The extractor: FFT plan, window, DCT and buffers made once and reused; the
 * mel filterbank is rebuilt only when the sample rate changes. Not shared
 * between threads (make one per thread; creating them is thread-safe). */
typedef struct mfcc_extractor mfcc_extractor;

mfcc_extractor *mfcc_extractor_new(const mfcc_config *c);
void mfcc_extractor_free(mfcc_extractor *m);
/* Per-frame MFCCs of x[0..n-1] (n >= 1) at rate sr: a *frames x n_mfcc matrix,
 * row-major, owned by m and valid until its next call. NULL with err set when
 * the configuration does not suit sr (see mfcc_config_check). */
const float *mfcc_extractor_frames(mfcc_extractor *m, const float *x, size_t n, double sr,
                                   size_t *frames, char *err, size_t errlen);

/* The MFCCs of x[0..n-1] (n >= 1) at rate sr pooled as the configuration
 * says: mfcc_pool_rows(pool, *frames) x mfcc_pool_cols(pool, n_mfcc),
 * row-major, owned by m and valid until its next call; NULL with err set as
 * for mfcc_extractor_frames. Mean pooling is the DCT of the time mean of the
 * clipped log-mel spectrogram, in double: the DCT is linear, so that is the
 * mean of the frames' MFCCs (up to float rounding), at one DCT per clip.
 * meanstd has the same mean columns, then the frames' standard deviation. */
const float *mfcc_extractor_pooled(mfcc_extractor *m, const float *x, size_t n, double sr,
                                   size_t *frames, char *err, size_t errlen);

/* Shape of the pooled matrix for n_frames frames of n_mfcc coefficients. */
size_t mfcc_pool_rows(mfcc_pool p, size_t n_frames);
size_t mfcc_pool_cols(mfcc_pool p, int n_mfcc);
/* Pools frames (n_frames x n_mfcc, n_frames >= 1) into out (rows x cols above):
 * mean = the time mean; meanstd = the mean then the population standard
 * deviation (2*n_mfcc columns); none = a copy. Sums are accumulated in double. */
void mfcc_pool_apply(mfcc_pool p, const float *frames, size_t n_frames, int n_mfcc, float *out);

#endif
