/* functionals.h - statistics of a frame-level contour (one value per 10 ms
 * frame), as openSMILE's cFunctionals components define them for eGeMAPS
 * (Eyben et al. 2016). Every function takes n values and returns finite
 * numbers; an empty contour gives 0. */
#ifndef SENTIO_FUNCTIONALS_H
#define SENTIO_FUNCTIONALS_H

#include <stdbool.h>
#include <stddef.h>

/* 3-frame moving average in place of x[0..n-1] into y (x and y distinct); the
 * ends repeat the first and last value. nonzero: a 0 stays 0 and the average
 * covers only the non-zero values among the three (openSMILE's sma3nz). */
void contour_sma3(const double *x, size_t n, bool nonzero, double *y);

/* Copies the non-zero values of x into out (may be x) and returns their count. */
size_t contour_nonzero(const double *x, size_t n, double *out);

double func_mean(const double *x, size_t n);
/* Population standard deviation over the mean (the coefficient of variation,
 * signed like the mean); the mean counts as 1 when it is 0; 0 without spread. */
double func_stddev_norm(const double *x, size_t n, double mean);

/* Population standard deviation (not normalised); 0 for n < 2. */
double func_stddev(const double *x, size_t n, double mean);

/* Percentile p (0..1) of sorted[0..n-1] by linear interpolation at p*(n-1). */
double func_percentile(const double *sorted, size_t n, double p);

/* Rising and falling slopes between the contour's peaks and valleys
 * (openSMILE's cFunctionalPeaks2): local extrema among x[2..n-3], pruned to
 * alternate and to differ by at least 10% of the contour's range; each rise
 * from a valley (or the start) to the next peak and each fall from a peak to
 * the next valley (or the end) has a slope in units per second at frame period
 * `period`. Also the number of peaks per second. */
typedef struct {
    double mean_rising, stddev_rising, mean_falling, stddev_falling;
    double peaks_per_sec;
} func_peaks;
void func_peaks_compute(const double *x, size_t n, double period, func_peaks *out);

/* Segments of a contour (openSMILE's cFunctionalSegments, nonX/eqX with X = 0):
 * runs of non-zero (voiced = true) or zero values that start with 3 frames of
 * that kind and end at 2 frames of the other kind or at the contour's end (a
 * single frame of the other kind does not end them). A segment's length, in
 * frames, is openSMILE's: one less than the frames from its first to its last. */
typedef struct {
    size_t count;
    double mean_len, stddev_len; /* frames; 0 without segments; stddev 0 for one */
} func_segments;
void func_segments_compute(const double *x, size_t n, bool voiced, func_segments *out);

#endif
