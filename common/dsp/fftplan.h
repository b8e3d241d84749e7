/* fftplan.h - one lock around FFTW's planner for the whole library: fftwf_plan_*
 * and fftwf_destroy_plan are not thread-safe (fftwf_execute is), and modules that
 * plan from worker threads (eglld, voice, ...) must not race each other. */
#ifndef SENTIO_FFTPLAN_H
#define SENTIO_FFTPLAN_H

void fft_planner_lock(void);
void fft_planner_unlock(void);

#endif
