#include "feat/functionals.h"

#include "base/cli.h"

#include <math.h>
#include <stdlib.h>

void contour_sma3(const double *x, size_t n, bool nonzero, double *y)
{
    for (size_t t = 0; t < n; t++) {
        double prev = x[t > 0 ? t - 1 : 0], next = x[t + 1 < n ? t + 1 : n - 1];
        if (!nonzero) {
            y[t] = (prev + x[t] + next) / 3.0;
            continue;
        }
        if (x[t] == 0) {
            y[t] = 0;
            continue;
        }
        double sum = x[t];
        int count = 1;
        if (prev != 0) {
            sum += prev;
            count++;
        }
        if (next != 0) {
            sum += next;
            count++;
        }
        y[t] = sum / count;
    }
}

size_t contour_nonzero(const double *x, size_t n, double *out)
{
    size_t m = 0;
    for (size_t t = 0; t < n; t++)
        if (x[t] != 0)
            out[m++] = x[t];
    return m;
}

double func_mean(const double *x, size_t n)
{
    if (n == 0)
        return 0;
    double sum = 0;
    for (size_t t = 0; t < n; t++)
        sum += x[t];
    return sum / n;
}

double func_stddev_norm(const double *x, size_t n, double mean)
{
    if (n == 0)
        return 0;
    double var = 0;
    for (size_t t = 0; t < n; t++)
        var += (x[t] - mean) * (x[t] - mean);
    var /= n;
    if (!(var > 0))
        return 0;
    return sqrt(var) / (mean != 0 ? mean : 1.0);
}

double func_stddev(const double *x, size_t n, double mean)
{
    if (n < 2)
        return 0;
    double var = 0;
    for (size_t t = 0; t < n; t++)
        var += (x[t] - mean) * (x[t] - mean);
    return sqrt(var / n);
}

double func_percentile(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
    if (hi >= n)
        hi = n - 1;
    if (lo >= n)
        lo = n - 1;
    if (lo == hi)
        return sorted[lo];
    return sorted[lo] * ((double)hi - pos) + sorted[hi] * (pos - (double)lo);
}

/* ---- peaks and slopes ---- */

typedef struct {
    size_t pos;
    double y;
    bool is_max, alive;
} extremum;

/* The local extrema that survive openSMILE's three pruning passes, in order. */
static size_t find_extrema(const double *x, size_t n, extremum *e)
{
    double lo = x[0], hi = x[0];
    for (size_t t = 1; t < n; t++) {
        if (x[t] < lo)
            lo = x[t];
        if (x[t] > hi)
            hi = x[t];
    }
    const double thresh = 0.1 * (hi - lo);
    size_t m = 0;
    for (size_t t = 2; t + 2 < n; t++) {
        bool is_max = x[t] > x[t - 1] && x[t] > x[t + 1];
        bool is_min = x[t] < x[t - 1] && x[t] < x[t + 1];
        if (is_max || is_min)
            e[m++] = (extremum){t, x[t], is_max, true};
    }
    /* Pass 1: a peak that rises less than the threshold above the value before it
     * is dropped when it is also close to the last valley, replaces the last peak
     * when 5% higher, and is otherwise kept only right after a valley. A valley
     * counts only when it differs enough from the value before it. */
    double last_val = x[0], last_min = x[0], last_max = x[0];
    bool after_min = false;
    extremum *last_peak = NULL;
    for (size_t i = 0; i < m; i++) {
        extremum *el = &e[i];
        if (el->is_max) {
            if (fabs(el->y - last_val) < thresh) {
                if (el->y - last_min < thresh) {
                    el->alive = false;
                } else {
                    if (el->y > last_max * 1.05) {
                        if (last_peak)
                            last_peak->alive = false;
                        last_max = el->y;
                        last_peak = el;
                    } else if (after_min) {
                        last_max = el->y;
                        last_peak = el;
                    } else {
                        el->alive = false;
                    }
                    after_min = false;
                }
            } else {
                after_min = false;
                last_max = el->y;
                last_peak = el;
            }
        } else if (!(fabs(el->y - last_val) < thresh)) {
            after_min = true;
            last_min = el->y;
        }
        last_val = el->y;
    }
    /* Pass 2: drop valleys less than the threshold below the last peak. */
    last_max = x[0];
    for (size_t i = 0; i < m; i++) {
        if (!e[i].alive)
            continue;
        if (e[i].is_max)
            last_max = e[i].y;
        else if (last_max - e[i].y < thresh)
            e[i].alive = false;
    }
    /* Pass 3: make peaks and valleys alternate, keeping the highest peak and the
     * lowest valley of each run. */
    extremum *run_best = NULL;
    bool first = true, in_min_run = false;
    for (size_t i = 0; i < m; i++) {
        extremum *el = &e[i];
        if (!el->alive)
            continue;
        bool same_run = !first && (el->is_max ? !in_min_run : in_min_run);
        if (!same_run) {
            run_best = el;
            in_min_run = !el->is_max;
            first = false;
        } else if (el->is_max ? el->y <= run_best->y : el->y >= run_best->y) {
            el->alive = false;
        } else {
            run_best->alive = false;
            run_best = el;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (e[i].alive)
            e[k++] = e[i];
    return k;
}

void func_peaks_compute(const double *x, size_t n, double period, func_peaks *out)
{
    *out = (func_peaks){0};
    if (n == 0)
        return;
    extremum *e = cli_xmalloc((n + 1) * sizeof *e);
    size_t m = find_extrema(x, n, e);
    size_t peaks = 0;
    for (size_t i = 0; i < m; i++)
        peaks += e[i].is_max;
    out->peaks_per_sec = peaks / (n * period);

    /* Slopes: each extremum against the last one of the other kind (the first
     * value standing in for both at the start), then the end of the contour
     * against the last extremum. */
    double rise_sum = 0, fall_sum = 0;
    size_t rises = 0, falls = 0;
    for (int pass = 0; pass < 2; pass++) {
        double last_max = x[0], last_min = x[0];
        size_t max_pos = 0, min_pos = 0;
        int last_kind = -1; /* 1: the last slope was a rise, 0: a fall */
        for (size_t i = 0; i < m; i++) {
            if (e[i].is_max) {
                last_max = e[i].y;
                max_pos = e[i].pos;
                if (max_pos > min_pos) {
                    double s = (last_max - last_min) / ((double)(max_pos - min_pos) * period);
                    if (pass == 0) {
                        rise_sum += s;
                        rises++;
                        last_kind = 1;
                    } else {
                        out->stddev_rising += (s - out->mean_rising) * (s - out->mean_rising);
                    }
                }
            } else {
                last_min = e[i].y;
                min_pos = e[i].pos;
                if (min_pos > max_pos) {
                    double s = (last_max - last_min) / ((double)(min_pos - max_pos) * period);
                    if (pass == 0) {
                        fall_sum += s;
                        falls++;
                        last_kind = 0;
                    } else {
                        out->stddev_falling += (s - out->mean_falling) * (s - out->mean_falling);
                    }
                }
            }
        }
        if (pass == 1)
            break;
        /* openSMILE's end segment keeps the sign of the change (a fall is negative
         * here, positive between extrema), and without extrema the slope is per
         * frame, not per second. */
        if (last_kind == 1 && n - 1 > max_pos) {
            fall_sum += (x[n - 1] - last_max) / ((double)(n - 1 - max_pos) * period);
            falls++;
        } else if (last_kind == 0 && n - 1 > min_pos) {
            rise_sum += (x[n - 1] - last_min) / ((double)(n - 1 - min_pos) * period);
            rises++;
        } else if (last_kind == -1) {
            double s = (x[n - 1] - x[0]) / (double)n;
            if (s > 0) {
                rise_sum = s;
                rises = 1;
            } else if (s < 0) {
                fall_sum = s;
                falls = 1;
            }
        }
        out->mean_rising = rises > 1 ? rise_sum / rises : rise_sum;
        out->mean_falling = falls > 1 ? fall_sum / falls : fall_sum;
    }
    if (rises > 1)
        out->stddev_rising /= rises;
    if (falls > 1)
        out->stddev_falling /= falls;
    out->stddev_rising = out->stddev_rising > 0 ? sqrt(out->stddev_rising) : 0;
    out->stddev_falling = out->stddev_falling > 0 ? sqrt(out->stddev_falling) : 0;
    free(e);
}

/* ---- segments ---- */

void func_segments_compute(const double *x, size_t n, bool voiced, func_segments *out)
{
    enum { PAUSE, CANDIDATE, SEGMENT };
    const int min_len = 3, min_pause = 2;
    int state = PAUSE, run = 0, gap = 0;
    size_t start = 0, count = 0;
    double sum = 0, sum_sq = 0;
    size_t *lens = cli_xmalloc((n + 1) * sizeof *lens);
    for (size_t t = 0; t < n; t++) {
        bool in = (x[t] != 0) == voiced;
        if (in) {
            if (state == CANDIDATE) {
                gap = 0;
                if (++run >= min_len) {
                    run = 0;
                    state = SEGMENT;
                }
            } else if (state == PAUSE) {
                run++;
                start = t;
                state = CANDIDATE;
            } else {
                gap = 0;
            }
        } else if (state == SEGMENT) {
            run = 0;
            if (++gap >= min_pause) {
                state = PAUSE;
                lens[count++] = t - (size_t)gap - start;
                gap = 0;
            }
        } else if (state == CANDIDATE) {
            if (++gap >= min_pause) {
                state = PAUSE;
                gap = 0;
                run = 0;
            }
        }
    }
    if (state == SEGMENT)
        lens[count++] = n - (size_t)(gap + 1) - start;
    for (size_t i = 0; i < count; i++)
        sum += (double)lens[i];
    double mean = count > 1 ? sum / count : sum;
    for (size_t i = 0; i < count; i++)
        sum_sq += ((double)lens[i] - mean) * ((double)lens[i] - mean);
    out->count = count;
    out->mean_len = mean;
    out->stddev_len = count > 1 ? sqrt(sum_sq / count) : 0;
    free(lens);
}
