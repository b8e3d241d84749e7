/* Unit tests of the MFCC maths: mel scale and filterbank against numpy values,
 * the window, the DCT, framing and the whole pipeline against a naive double
 * precision reference, and pooling. */
#include "dsp/dct.h"
#include "dsp/melfilter.h"
#include "dsp/mfcc.h"
#include "dsp/window.h"
#include "unit.h"

#include <stdlib.h>

static const double PI = 3.14159265358979323846;

/* Filter m's weight at FFT bin k (0 outside its range). */
static double weight_at(const mel_filterbank *fb, int m, int k)
{
    int j = k - fb->first[m];
    return j >= 0 && j < fb->len[m] ? fb->weight[m][j] : 0.0;
}

static int argmax(const mel_filterbank *fb, int m)
{
    int best = fb->first[m];
    for (int j = 0; j < fb->len[m]; j++)
        if (fb->weight[m][j] > weight_at(fb, m, best))
            best = fb->first[m] + j;
    return best;
}

/* Expected values: an independent numpy (1.24, float64) transcription of the
 * Slaney formulas of librosa.filters.mel (htk=False, norm='slaney'):
 *   mel_f = mel_to_hz(linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
 *   w[i] = max(0, min((f - mel_f[i]) / fdiff[i], (mel_f[i+2] - f) / fdiff[i+1]))
 *          * 2 / (mel_f[i+2] - mel_f[i]),  f = rfftfreq(n_fft, 1/sr)
 * printing each filter's first and last nonzero bin, first weight and peak. */
typedef struct {
    int m, first, last, peak_bin;
    double first_w, peak_w;
} mel_expect;

static void check_bank(double sr, int n_fft, int n_mels, double fmin, double fmax,
                       const mel_expect *e, int n, const char *what)
{
    mel_filterbank fb;
    char msg[160];
    CHECK(mel_filterbank_init(&fb, sr, n_fft, n_mels, fmin, fmax) == 0, what);
    for (int i = 0; i < n; i++) {
        int m = e[i].m;
        snprintf(msg, sizeof msg, "%s: filter %d spans bins %d..%d", what, m, e[i].first,
                 e[i].last);
        CHECK(fb.first[m] == e[i].first && fb.first[m] + fb.len[m] - 1 == e[i].last, msg);
        snprintf(msg, sizeof msg, "%s: filter %d first weight", what, m);
        CHECK_NEAR(weight_at(&fb, m, e[i].first), e[i].first_w, 1e-6 * e[i].first_w + 1e-12, msg);
        snprintf(msg, sizeof msg, "%s: filter %d peaks at bin %d", what, m, e[i].peak_bin);
        CHECK(argmax(&fb, m) == e[i].peak_bin, msg);
        snprintf(msg, sizeof msg, "%s: filter %d peak weight", what, m);
        CHECK_NEAR(weight_at(&fb, m, e[i].peak_bin), e[i].peak_w, 1e-6 * e[i].peak_w, msg);
    }
    mel_filterbank_free(&fb);
}

static void test_mel(void)
{
    CHECK_NEAR(mel_from_hz(500), 7.5, 1e-12, "mel scale is linear below 1 kHz");
    CHECK_NEAR(mel_from_hz(1000), 15.0, 1e-12, "1 kHz is 15 mels");
    CHECK_NEAR(mel_from_hz(4000), 35.16376031, 1e-7, "mel scale is logarithmic above 1 kHz");
    CHECK_NEAR(hz_from_mel(10), 666.66666667, 1e-7, "mel to Hz, linear part");
    CHECK_NEAR(hz_from_mel(20), 1410.23856781, 1e-7, "mel to Hz, log part");
    CHECK_NEAR(hz_from_mel(mel_from_hz(5577.8)), 5577.8, 1e-9, "mel scale round trip");

    static const mel_expect librosa_default[] = {
        {0, 1, 4, 2, 0.016182853208219935, 0.03236570641643987},
        {1, 3, 7, 5, 0.009779235793639922, 0.03539370545195999},
        {10, 24, 28, 26, 0.000695238687079559, 0.033060945103519486},
        {64, 182, 191, 187, 0.0010807637701470605, 0.017278832377275937},
        {127, 971, 1023, 997, 7.184815842995642e-06, 0.003485250551646776},
    };
    check_bank(22050, 2048, 128, 0, 11025, librosa_default, 5, "mel 22050/2048/128");
    static const mel_expect small[] = {
        {0, 1, 4, 2, 0.005773601070147664, 0.011547202140295329},
        {5, 12, 16, 14, 0.001320864029226279, 0.01286806616952159},
        {39, 220, 255, 237, 4.335886153212716e-06, 0.0017454237078277945},
    };
    check_bank(16000, 512, 40, 0, 8000, small, 3, "mel 16000/512/40");
    static const mel_expect band[] = {
        {0, 28, 31, 30, 0.0033036265185080907, 0.04311254993517672},
        {127, 712, 743, 727, 0.00020412193196046004, 0.005853155135317054},
    };
    check_bank(22050, 2048, 128, 300, 8000, band, 2, "mel 300..8000 Hz");

    /* Slaney normalisation: each triangle has unit area in Hz, so sum(w) * bin
     * width is 1 for a filter wide enough to be sampled finely. */
    mel_filterbank fb;
    mel_filterbank_init(&fb, 22050, 2048, 128, 0, 11025);
    double area = 0;
    for (int j = 0; j < fb.len[100]; j++)
        area += fb.weight[100][j] * 22050.0 / 2048;
    CHECK_NEAR(area, 1.0, 0.02, "Slaney normalisation: unit area");
    mel_filterbank_free(&fb);
    /* apply, laid out in groups of four: every filter equals the dense
     * product, including filters moved left to keep their padding inside the
     * spectrum (the top filters of 22050/2048) and filters too wide to pad
     * that end in single weights (one filter over a 20-point FFT). */
    static const struct {
        double sr;
        int n_fft, n_mels;
    } bank[] = {{22050, 2048, 128}, {16000, 512, 40}, {8000, 64, 12}, {4, 20, 1}, {8000, 18, 3}};
    int moved = 0, tails = 0;
    for (size_t b = 0; b < sizeof bank / sizeof *bank; b++) {
        mel_filterbank_init(&fb, bank[b].sr, bank[b].n_fft, bank[b].n_mels, 0, bank[b].sr / 2);
        float power[1025], out[128];
        for (int k = 0; k < fb.n_bins; k++)
            power[k] = (float)(k % 13) * 0.25f + 1.0f;
        mel_filterbank_apply(&fb, power, out);
        double worst = 0;
        for (int m = 0; m < fb.n_mels; m++) {
            double direct = 0;
            for (int k = 0; k < fb.n_bins; k++)
                direct += weight_at(&fb, m, k) * power[k];
            worst = fmax(worst, fabs(out[m] - direct) / direct);
            moved += fb.lane_start[m] < fb.first[m];
            tails += fb.tail[m] > 0;
        }
        char what[96];
        snprintf(what, sizeof what, "mel %g/%d/%d: apply equals the dense product", bank[b].sr,
                 bank[b].n_fft, bank[b].n_mels);
        if (!CHECK(worst < 1e-6, what))
            printf("#   worst relative difference %g\n", worst);
        mel_filterbank_free(&fb);
    }
    CHECK(moved > 0 && tails > 0, "apply: filters moved left and filters with single weights seen");
    CHECK(mel_filterbank_init(&fb, 22050, 2048, 128, 500, 400) == -1, "fmin above fmax refused");
}

static void test_window(void)
{
    float w[8];
    window_hann_periodic(w, 8);
    static const double expect[8] = {0, 0.1464466094, 0.5, 0.8535533906,
                                     1, 0.8535533906, 0.5, 0.1464466094};
    int ok = 1;
    for (int i = 0; i < 8; i++)
        ok &= fabs(w[i] - expect[i]) < 1e-7;
    CHECK(ok, "Hann(8) periodic = scipy.signal.get_window('hann', 8)");
    float big[2048];
    window_hann_periodic(big, 2048);
    CHECK(big[0] == 0.0f && big[1024] == 1.0f, "periodic: zero at 0, one at n/2");
    CHECK_NEAR(big[1], big[2047], 1e-7, "periodic: symmetric about n/2 (w[1] = w[n-1])");
}

static void test_dct(void)
{
    enum { N = 24 };
    float d[N * N];
    dct2_ortho_matrix(d, N, N);
    double worst = 0;
    for (int a = 0; a < N; a++)
        for (int b = 0; b < N; b++) {
            double dot = 0;
            for (int i = 0; i < N; i++)
                dot += (double)d[a * N + i] * d[b * N + i];
            worst = fmax(worst, fabs(dot - (a == b)));
        }
    CHECK(worst < 1e-6, "DCT-II ortho: D * D^T = I");
    double x[N], worst_formula = 0;
    for (int i = 0; i < N; i++)
        x[i] = sin(0.37 * i * i) + 0.1 * i;
    for (int k = 0; k < N; k++) { /* scipy.fft.dct(x, type=2, norm='ortho') written out */
        double direct = 0, via = 0;
        for (int i = 0; i < N; i++) {
            direct += 2 * x[i] * cos(PI * k * (2 * i + 1) / (2.0 * N));
            via += d[k * N + i] * x[i];
        }
        direct *= k == 0 ? sqrt(1.0 / (4 * N)) : sqrt(1.0 / (2 * N));
        worst_formula = fmax(worst_formula, fabs(direct - via));
    }
    CHECK(worst_formula < 1e-5, "DCT matrix equals the O(N^2) definition");
    float part[5 * N];
    dct2_ortho_matrix(part, 5, N);
    CHECK(memcmp(part, d, sizeof part) == 0, "first rows only: the same rows");
}

/* The whole pipeline in double with a naive DFT: centred frames padded with
 * zeros, periodic Hann, power, mel, dB, top_db, DCT. */
static void reference_mfcc(const float *x, int n, double sr, const mfcc_config *c, double *out,
                           int *frames)
{
    int nf = c->n_fft, nb = nf / 2 + 1, T = 1 + (n + 2 * (nf / 2) - nf) / c->hop;
    mel_filterbank fb;
    mel_filterbank_init(&fb, sr, nf, c->n_mels, c->fmin, c->fmax > 0 ? c->fmax : sr / 2);
    double *logmel = calloc((size_t)T * c->n_mels, sizeof *logmel), top = -1e300;
    for (int t = 0; t < T; t++) {
        for (int m = 0; m < c->n_mels; m++) {
            double e = 0;
            for (int k = 0; k < nb; k++) {
                double re = 0, im = 0;
                for (int i = 0; i < nf; i++) {
                    int s = t * c->hop - nf / 2 + i;
                    double v = s >= 0 && s < n ? x[s] * (0.5 - 0.5 * cos(2 * PI * i / nf)) : 0;
                    re += v * cos(2 * PI * k * i / nf);
                    im -= v * sin(2 * PI * k * i / nf);
                }
                e += weight_at(&fb, m, k) * (re * re + im * im);
            }
            double db = 10 * log10(fmax(e, 1e-10));
            logmel[t * c->n_mels + m] = db;
            top = fmax(top, db);
        }
    }
    for (int t = 0; t < T; t++)
        for (int k = 0; k < c->n_mfcc; k++) {
            double s = 0;
            for (int m = 0; m < c->n_mels; m++)
                s += fmax(logmel[t * c->n_mels + m], top - c->top_db) *
                     cos(PI * k * (2 * m + 1) / (2.0 * c->n_mels));
            out[t * c->n_mfcc + k] = s * (k == 0 ? sqrt(1.0 / c->n_mels) : sqrt(2.0 / c->n_mels));
        }
    *frames = T;
    free(logmel);
    mel_filterbank_free(&fb);
}

/* mfcc_extractor_pooled against the frames it pools and the double reference
 * ref (T x c->n_mfcc) of the same clip. */
static void test_pooled(const mfcc_config *base, const float *x, int n, const double *ref, int T)
{
    mfcc_config c = *base;
    size_t frames, nf;
    char err[128];
    int K = c.n_mfcc;
    mfcc_extractor *m = mfcc_extractor_new(&c);
    const float *all = mfcc_extractor_frames(m, x, n, 8000, &nf, err, sizeof err);
    float *per_frame = malloc((size_t)T * K * sizeof *per_frame), mean[64], meanstd[128];
    memcpy(per_frame, all, (size_t)T * K * sizeof *per_frame);
    mfcc_extractor_free(m);

    c.pool = MFCC_POOL_MEAN;
    m = mfcc_extractor_new(&c);
    const float *got = mfcc_extractor_pooled(m, x, n, 8000, &frames, err, sizeof err);
    CHECK(got && frames == (size_t)T, "pooled mean: frames counted");
    memcpy(mean, got, K * sizeof *mean);
    /* Not bit-equal: the DCT of the mean log-mel (one DCT in double) rounds
     * differently from the mean of the frames' float DCTs; both are within
     * float rounding of the exact mean, which the reference gives. */
    double worst_ref = 0, worst_frames = 0;
    float pooled_frames[64];
    mfcc_pool_apply(MFCC_POOL_MEAN, per_frame, nf, K, pooled_frames);
    for (int k = 0; k < K; k++) {
        double r = 0;
        for (int t = 0; t < T; t++)
            r += ref[t * K + k] / T;
        worst_ref = fmax(worst_ref, fabs(mean[k] - r));
        worst_frames = fmax(worst_frames, fabs(mean[k] - pooled_frames[k]));
    }
    if (!CHECK(worst_ref < 2e-3, "pooled mean equals the mean of the reference's frames"))
        printf("#   worst difference %g\n", worst_ref);
    if (!CHECK(worst_frames < 1e-4, "pooled mean = the mean of the frames' MFCCs (DCT is linear)"))
        printf("#   worst difference %g\n", worst_frames);
    mfcc_extractor_free(m);

    c.pool = MFCC_POOL_MEANSTD;
    m = mfcc_extractor_new(&c);
    got = mfcc_extractor_pooled(m, x, n, 8000, &frames, err, sizeof err);
    memcpy(meanstd, got, 2 * K * sizeof *meanstd);
    CHECK(memcmp(meanstd, mean, K * sizeof *mean) == 0, "pooled meanstd: the mean columns of mean");
    mfcc_pool_apply(MFCC_POOL_MEANSTD, per_frame, nf, K, pooled_frames);
    CHECK(memcmp(meanstd + K, pooled_frames + K, K * sizeof *mean) == 0,
          "pooled meanstd: the standard deviation of the frames");
    mfcc_extractor_free(m);

    c.pool = MFCC_POOL_NONE;
    m = mfcc_extractor_new(&c);
    got = mfcc_extractor_pooled(m, x, n, 8000, &frames, err, sizeof err);
    CHECK(got && memcmp(got, per_frame, (size_t)T * K * sizeof *got) == 0,
          "pooled none: every frame as mfcc_extractor_frames gives it");
    CHECK(mfcc_extractor_pooled(m, x, 0, 8000, &frames, err, sizeof err) == NULL,
          "pooled: no samples is an error");
    mfcc_extractor_free(m);
    free(per_frame);
}

static void test_pipeline(void)
{
    mfcc_config c;
    mfcc_config_defaults(&c);
    c.n_fft = 64, c.hop = 16, c.n_mels = 12, c.n_mfcc = 9, c.top_db = 30;
    enum { N = 203 };
    float x[N];
    for (int i = 0; i < N; i++) /* a chirp with a decaying tail: frames differ */
        x[i] = (float)(sin(0.002 * i * i) * exp(-0.01 * i) + 0.05 * sin(1.3 * i));
    double ref[13 * 9];
    int T;
    reference_mfcc(x, N, 8000, &c, ref, &T);
    mfcc_extractor *m = mfcc_extractor_new(&c);
    size_t frames;
    char err[128];
    const float *got = mfcc_extractor_frames(m, x, N, 8000, &frames, err, sizeof err);
    CHECK(got && frames == (size_t)T && T == 13, "13 centred frames of 203 samples at hop 16");
    double worst = 0;
    for (int i = 0; got && i < T * c.n_mfcc; i++)
        worst = fmax(worst, fabs(got[i] - ref[i]));
    if (!CHECK(worst < 2e-3, "MFCCs equal a naive double-precision reference"))
        printf("#   worst difference %g\n", worst);
    test_pooled(&c, x, N, ref, T);
    /* Even lengths take a complex FFT of half the length and a split pass
     * (four bins at a time, then one: n_fft 62 and 46 leave a remainder),
     * odd lengths FFTW's real FFT. */
    static const int other_fft[] = {62, 46, 63, 45};
    for (int i = 0; i < 4; i++) {
        mfcc_config o = c;
        o.n_fft = other_fft[i];
        int To;
        double ref_o[13 * 9];
        reference_mfcc(x, N, 8000, &o, ref_o, &To);
        mfcc_extractor *mo = mfcc_extractor_new(&o);
        got = mfcc_extractor_frames(mo, x, N, 8000, &frames, err, sizeof err);
        worst = 0;
        for (int j = 0; got && j < To * c.n_mfcc; j++)
            worst = fmax(worst, fabs(got[j] - ref_o[j]));
        char what[96];
        snprintf(what, sizeof what, "n_fft %d: MFCCs equal the reference", o.n_fft);
        if (!CHECK(got && frames == (size_t)To && worst < 2e-3, what))
            printf("#   worst difference %g\n", worst);
        mfcc_extractor_free(mo);
    }
    /* Clipping: with top_db 0 every band of every frame is the clip's maximum. */
    c.top_db = 0;
    mfcc_extractor *flat = mfcc_extractor_new(&c);
    got = mfcc_extractor_frames(flat, x, N, 8000, &frames, err, sizeof err);
    double rest = 0;
    for (size_t t = 0; got && t < frames; t++)
        for (int k = 1; k < c.n_mfcc; k++)
            rest = fmax(rest, fabs(got[t * c.n_mfcc + k]));
    CHECK(got && rest < 1e-4, "top_db 0 clips everything to one level: only c0 remains");
    mfcc_extractor_free(flat);
    c.fmax = 3000;
    mfcc_extractor *high = mfcc_extractor_new(&c);
    CHECK(mfcc_extractor_frames(high, x, N, 4000, &frames, err, sizeof err) == NULL &&
              strstr(err, "Nyquist"),
          "fmax above the clip's Nyquist frequency is an error");
    mfcc_extractor_free(high);
    mfcc_extractor_free(m);
}

static void test_pool(void)
{
    const float frames[3 * 2] = {1, 10, 2, 20, 6, 60};
    float out[4];
    mfcc_pool_apply(MFCC_POOL_MEAN, frames, 3, 2, out);
    CHECK(out[0] == 3.0f && out[1] == 30.0f, "pool mean");
    mfcc_pool_apply(MFCC_POOL_MEANSTD, frames, 3, 2, out);
    CHECK(out[0] == 3.0f && out[1] == 30.0f, "pool meanstd: the means first");
    CHECK_NEAR(out[2], sqrt(14.0 / 3), 1e-6, "pool meanstd: population standard deviation");
    CHECK_NEAR(out[3], sqrt(1400.0 / 3), 1e-4, "pool meanstd: second column");
    float copy[6];
    mfcc_pool_apply(MFCC_POOL_NONE, frames, 3, 2, copy);
    CHECK(memcmp(copy, frames, sizeof copy) == 0, "pool none copies every frame");
    CHECK(mfcc_pool_rows(MFCC_POOL_NONE, 7) == 7 && mfcc_pool_cols(MFCC_POOL_MEANSTD, 40) == 80,
          "pooled shapes");
}

static void test_config(void)
{
    mfcc_config c;
    mfcc_config_defaults(&c);
    char meta[256];
    mfcc_config_meta(&c, NULL, 22050, meta, sizeof meta);
    CHECK(strcmp(meta, "sr=22050 n_fft=2048 hop=512 n_mels=128 n_mfcc=40 fmin=0 fmax=11025 "
                       "top_db=80 pool=mean") == 0,
          "metadata string of the defaults");
    c.clip_db = false, c.pool = MFCC_POOL_NONE;
    mfcc_config_meta(&c, "native", 16000, meta, sizeof meta);
    CHECK(strcmp(meta, "sr=native n_fft=2048 hop=512 n_mels=128 n_mfcc=40 fmin=0 fmax=8000 "
                       "top_db=none pool=none") == 0,
          "metadata: native rate, effective fmax, no top_db");
    CHECK(mfcc_config_check(&c, 22050) == NULL, "defaults are valid");
    c.fmax = 12000;
    CHECK(mfcc_config_check(&c, 22050) != NULL, "fmax above Nyquist refused");
    c.fmax = 0, c.n_mfcc = 200;
    CHECK(mfcc_config_check(&c, 22050) != NULL, "more MFCCs than mel bands refused");
}

int main(void)
{
    test_mel();
    test_window();
    test_dct();
    test_pipeline();
    test_pool();
    test_config();
    return unit_done();
}
