#include "nn/scaler.h"

#include "base/xalloc.h"

#include <math.h>
#include <stdlib.h>

void scaler_fit(const float *x, size_t rows, int cols, float *mean, float *std)
{
    double *sum = cli_xcalloc((size_t)cols, sizeof(double));
    double *ss = cli_xcalloc((size_t)cols, sizeof(double));
    for (size_t r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            sum[c] += x[r * (size_t)cols + (size_t)c];
    for (int c = 0; c < cols; ++c)
        sum[c] /= (double)rows;
    /* Two passes: the deviations from the mean, not E[x^2] - E[x]^2. */
    for (size_t r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            double dev = x[r * (size_t)cols + (size_t)c] - sum[c];
            ss[c] += dev * dev;
        }
    for (int c = 0; c < cols; ++c) {
        mean[c] = (float)sum[c];
        float s = (float)sqrt(ss[c] / (double)rows);
        std[c] = s > 0.0f ? s : 1.0f;
    }
    free(sum);
    free(ss);
}

void scaler_apply(const float *mean, const float *std, float *x, size_t rows, int cols)
{
    for (size_t r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            float *v = &x[r * (size_t)cols + (size_t)c];
            *v = (*v - mean[c]) / std[c];
        }
}
