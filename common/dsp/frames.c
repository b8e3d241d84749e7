#include "dsp/frames.h"

size_t frames_count(int n_fft, int hop, size_t n)
{
    size_t padded = n + 2 * (size_t)(n_fft / 2);
    if (padded < (size_t)n_fft)
        return 0;
    return 1 + (padded - (size_t)n_fft) / (size_t)hop;
}

void frames_load(const float *x, size_t n, int n_fft, int hop, size_t t, const float *window,
                 float *out)
{
    long long start = (long long)t * hop - n_fft / 2;
    if (start >= 0 && start + n_fft <= (long long)n) {
        const float *src = x + start;
        for (int i = 0; i < n_fft; i++)
            out[i] = src[i] * window[i];
        return;
    }
    for (int i = 0; i < n_fft; i++) {
        long long j = start + i;
        out[i] = j >= 0 && j < (long long)n ? x[j] * window[i] : 0.0f;
    }
}
