/* Unit tests for the maths behind plotdata: STFT framing and magnitudes, librosa's
 * amplitude_to_db, the waveform envelope, PCA and the confusion matrix. */
#include "dsp/powerdb.h"
#include "dsp/stft.h"
#include "dsp/waveform.h"
#include "eval/confusion.h"
#include "eval/pca.h"
#include "unit.h"

#include <stdlib.h>

static const double pi = 3.14159265358979323846;

static void test_stft(void)
{
    stft *s = stft_create(2048, 512);
    CHECK(s != NULL, "stft_create(2048, 512)");
    CHECK(stft_bins(s) == 1025, "2048-point FFT has 1025 bins");
    CHECK(stft_frames(s, 22050) == 1 + 22050 / 512, "frames = 1 + n/hop (librosa centre=True)");
    CHECK(stft_frames(s, 1) == 1, "a one-sample clip has one frame");
    CHECK(stft_create(8, 512) == NULL && stft_create(2048, 0) == NULL, "bad sizes are refused");

    /* A sine exactly on bin 100: the centre frame's peak is bin 100 and, with the
     * Hann window, its magnitude is amplitude * n_fft / 4. */
    const size_t n = 22050;
    const double sr = 22050, f = 100 * sr / 2048, amp = 0.5;
    float *x = malloc(n * sizeof *x), *mag = malloc(1025 * sizeof *mag);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2 * pi * f * (double)i / sr));
    stft_magnitude(s, x, n, 20, mag);
    size_t peak = 0;
    for (size_t k = 1; k < 1025; k++)
        if (mag[k] > mag[peak])
            peak = k;
    CHECK(peak == 100, "a sine's magnitude peaks at its frequency bin");
    CHECK_NEAR(mag[100], amp * 2048 / 4, 0.5, "on-bin Hann peak = A * n_fft / 4");
    CHECK_NEAR(mag[99], amp * 2048 / 8, 0.5, "Hann's neighbouring bins hold half the peak");
    CHECK(mag[110] < 1e-3 * mag[100], "far bins are empty");

    /* Frame 0 is centred on sample 0: its first n_fft/2 samples are padding. A unit
     * impulse at sample 0 meets the window's centre (w[1024] = 1): a flat spectrum. */
    for (size_t i = 0; i < n; i++)
        x[i] = 0.0f;
    x[0] = 1.0f;
    stft_magnitude(s, x, n, 0, mag);
    CHECK_NEAR(mag[0], 1.0, 1e-6, "impulse at the frame centre: |X[0]| = 1");
    CHECK_NEAR(mag[700], 1.0, 1e-6, "impulse at the frame centre: |X[700]| = 1");
    stft_magnitude(s, x, n, 1, mag);
    /* Frame 1 is centred on sample 512: the impulse sits at offset 512 of the frame. */
    CHECK_NEAR(mag[0], 0.5 - 0.5 * cos(2 * pi * 512 / 2048), 1e-6,
               "impulse off centre takes the window's value");
    CHECK_NEAR(stft_max_magnitude(s, x, n), 1.0, 1e-6, "largest magnitude over all frames");
    free(x);
    free(mag);
    stft_free(s);
}

static void test_db(void)
{
    CHECK_NEAR(amplitude_to_db(10, 10, 80), 0.0, 1e-12, "the reference is 0 dB");
    CHECK_NEAR(amplitude_to_db(1, 10, 80), -20.0, 1e-12, "a tenth of the reference is -20 dB");
    CHECK_NEAR(amplitude_to_db(1e-3, 10, 80), -80.0, 1e-12, "-80 dB is kept");
    CHECK_NEAR(amplitude_to_db(1e-4, 10, 80), -80.0, 1e-12, "below top_db is floored at -top_db");
    CHECK_NEAR(amplitude_to_db(1e-4, 10, 0), -100.0, 1e-12, "top_db 0 disables the floor");
    CHECK_NEAR(amplitude_to_db(0, 1, 0), -100.0, 1e-12, "amin 1e-5 bounds silence at -100 dB re 1");
    CHECK_NEAR(amplitude_to_db(0, 0, 80), 0.0, 1e-12, "digital silence is 0 dB re its own maximum");
}

static void test_envelope(void)
{
    float x[10] = {0, 1, -2, 3, -4, 5, -6, 7, -8, 9}, lo[10], hi[10];
    waveform_envelope(x, 10, 3, lo, hi);
    /* Columns [0,3), [3,6), [6,10). */
    CHECK(waveform_column_start(10, 3, 1) == 3 && waveform_column_start(10, 3, 3) == 10,
          "column bounds");
    CHECK(lo[0] == -2 && hi[0] == 1, "column 0 min/max");
    CHECK(lo[1] == -4 && hi[1] == 5, "column 1 min/max");
    CHECK(lo[2] == -8 && hi[2] == 9, "column 2 min/max");
    waveform_envelope(x, 10, 10, lo, hi);
    CHECK(lo[0] == 0 && hi[0] == 0, "one sample per column: min = max = the sample");
}

static void test_pca(void)
{
    /* Points along (1, 2) plus a small zero-mean wobble along the orthogonal (-2, 1):
     * PC1 is (1, 2)/sqrt5 and point i projects on it at t_i * sqrt5. The wobble's
     * pattern + - - + has zero mean and no correlation with t over each 4 points. */
    enum { N = 48 };
    double x[N * 3];
    for (int i = 0; i < N; i++) {
        double t = i - 23.5, w = (i % 4 == 0 || i % 4 == 3 ? 0.1 : -0.1);
        x[i * 3 + 0] = 10 + t - 2 * w / sqrt(5);
        x[i * 3 + 1] = -3 + 2 * t + w / sqrt(5);
        x[i * 3 + 2] = 7; /* constant: no variance */
    }
    pca_model m;
    char err[128];
    CHECK(pca_fit(x, N, 3, 2, false, &m, err, sizeof err) == 0, "pca_fit succeeds");
    double norm = hypot(m.axes[0], m.axes[1]);
    CHECK_NEAR(norm, 1.0, 1e-9, "axis 1 has unit length");
    CHECK_NEAR(m.axes[1] / m.axes[0], 2.0, 1e-3, "axis 1 follows y = 2x");
    CHECK(m.axes[1] > 0, "sign convention: the largest loading is positive");
    CHECK_NEAR(m.axes[2], 0.0, 1e-9, "the constant column has no loading");
    CHECK(m.variance[0] / m.total_variance > 0.999, "PC1 explains nearly all the variance");
    CHECK_NEAR(m.variance[0] + m.variance[1], m.total_variance, 1e-9,
               "two components hold all the variance");
    double pc[2];
    pca_project(&m, x, pc);
    CHECK_NEAR(pc[0], -23.5 * sqrt(5), 1e-9, "the first point projects at t * sqrt5 on PC1");
    CHECK_NEAR(fabs(pc[1]), 0.1, 1e-9, "and at its wobble on PC2");
    pca_free(&m);

    CHECK(pca_fit(x, 1, 3, 2, false, &m, err, sizeof err) == -1, "one record is refused");
    CHECK(pca_fit(x, N, 3, 4, false, &m, err, sizeof err) == -1,
          "more components than dimensions is refused");

    /* Standardised: two perfectly correlated columns of very different scales give
     * PC1 = (1, 1)/sqrt2 and a 100% share, whatever the scales. */
    double y[N * 2];
    for (int i = 0; i < N; i++) {
        y[i * 2 + 0] = 1000.0 * i;
        y[i * 2 + 1] = 0.001 * i;
    }
    CHECK(pca_fit(y, N, 2, 2, true, &m, err, sizeof err) == 0, "standardised pca_fit succeeds");
    CHECK_NEAR(m.axes[0], 1 / sqrt(2), 1e-9, "standardised axis 1, x");
    CHECK_NEAR(m.axes[1], 1 / sqrt(2), 1e-9, "standardised axis 1, y");
    CHECK_NEAR(m.total_variance, 2.0 * N / (N - 1), 1e-9, "correlation trace = d (n/(n-1) scaled)");
    pca_free(&m);
}

static void test_confusion(void)
{
    confusion c;
    confusion_init(&c);
    confusion_class(&c, "b");
    confusion_add(&c, "a", "b");
    confusion_add(&c, "b", "b");
    confusion_add(&c, "a", "a");
    confusion_add(&c, "a", "b");
    CHECK(c.k == 2 && strcmp(c.names[0], "b") == 0 && strcmp(c.names[1], "a") == 0,
          "classes keep declaration order");
    CHECK(c.total == 4, "total counts every prediction");
    CHECK(c.counts[1 * 2 + 0] == 2 && c.counts[1 * 2 + 1] == 1 && c.counts[0] == 1,
          "cells count true x pred");
    CHECK(confusion_row_total(&c, 1) == 3, "row total");
    /* Declared together (fuzz_metrics timed out on 1024 classes added one by one). */
    char *more[] = {"a", "c", "d", "c", "b"};
    CHECK(confusion_classes(&c, 5, more) == 0 && c.k == 4 && strcmp(c.names[2], "c") == 0 &&
              strcmp(c.names[3], "d") == 0,
          "confusion_classes adds the absent classes once, in order");
    CHECK(c.counts[1 * 4 + 0] == 2 && c.counts[1 * 4 + 1] == 1 && c.counts[0] == 1 && c.total == 4,
          "and keeps the counts");
    confusion_free(&c);
    confusion_init(&c);
    static char names[CONFUSION_MAX_CLASSES + 1][16]; /* room for any int: gcc -O1 checks */
    char *list[CONFUSION_MAX_CLASSES + 1];
    for (int i = 0; i <= CONFUSION_MAX_CLASSES; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        list[i] = names[i];
    }
    CHECK(confusion_classes(&c, CONFUSION_MAX_CLASSES + 1, list) == -1 && c.k == 0,
          "one class too many: refused, nothing added");
    CHECK(confusion_classes(&c, CONFUSION_MAX_CLASSES, list) == 0 && c.k == CONFUSION_MAX_CLASSES,
          "the limit itself is accepted");
    confusion_free(&c);
}

int main(void)
{
    test_stft();
    test_db();
    test_envelope();
    test_pca();
    test_confusion();
    return unit_done();
}
