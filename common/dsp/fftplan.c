/* fftplan.c - see fftplan.h. */
#include "dsp/fftplan.h"

#include "base/cli.h"

pthread_mutex_t fftplan_lock = PTHREAD_MUTEX_INITIALIZER;

size_t fftplan_pow2(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

void *fftplan_alloc(size_t bytes, const char *what)
{
    void *p = fftwf_malloc(bytes);
    if (!p)
        cli_fail(NULL, "out of memory (%s, %zu bytes)", what, bytes);
    return p;
}

fftwf_plan fftplan_r2c(int n, float *in, fftwf_complex *out)
{
    pthread_mutex_lock(&fftplan_lock);
    fftwf_plan p = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
    pthread_mutex_unlock(&fftplan_lock);
    if (!p)
        cli_fail(NULL, "cannot plan an FFT of %d points", n);
    return p;
}

fftwf_plan fftplan_c2r(int n, fftwf_complex *in, float *out)
{
    pthread_mutex_lock(&fftplan_lock);
    fftwf_plan p = fftwf_plan_dft_c2r_1d(n, in, out, FFTW_ESTIMATE);
    pthread_mutex_unlock(&fftplan_lock);
    if (!p)
        cli_fail(NULL, "cannot plan an inverse FFT of %d points", n);
    return p;
}

void fftplan_destroy(fftwf_plan p)
{
    if (!p)
        return;
    pthread_mutex_lock(&fftplan_lock);
    fftwf_destroy_plan(p);
    pthread_mutex_unlock(&fftplan_lock);
}
