/* fftplan.h - making FFTW plans safely from any thread. FFTW's planner is not thread-safe
 * (executing plans is): every plan in sentio is made and destroyed under the one lock here,
 * with FFTW_ESTIMATE, so the same algorithm runs every time and output is byte-identical. */
#ifndef SENTIO_FFTPLAN_H
#define SENTIO_FFTPLAN_H

#include <fftw3.h>
#include <pthread.h>
#include <stddef.h>

extern pthread_mutex_t fftplan_lock;

/* The smallest power of two >= n (1 for n = 0). */
size_t fftplan_pow2(size_t n);

/* fftwf_malloc'd buffer of `bytes`; exits via cli_fail naming `what` when memory runs out. */
void *fftplan_alloc(size_t bytes, const char *what);

/* Real-to-complex and complex-to-real (which overwrites its input) transforms of n points. */
fftwf_plan fftplan_r2c(int n, float *in, fftwf_complex *out);
fftwf_plan fftplan_c2r(int n, fftwf_complex *in, float *out);
void fftplan_destroy(fftwf_plan p); /* NULL is ignored */

#endif
