#include "dsp/fftplan.h"

#include <pthread.h>

static pthread_mutex_t planner = PTHREAD_MUTEX_INITIALIZER;

void fft_planner_lock(void) { pthread_mutex_lock(&planner); }
void fft_planner_unlock(void) { pthread_mutex_unlock(&planner); }
