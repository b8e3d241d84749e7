/* speakernorm.h - per-speaker z-scores shrunk toward the global statistics
 * (man 1 featnorm).
 *
 * Each speaker s has n_s observations (rows; one per clip for pooled features)
 * with mean m_s and population variance v_s (ddof 0) per column; the whole input
 * has n_g, m_g, v_g. With a prior of K pseudo-observations drawn from the global
 * distribution, the speaker's statistics become those of the union of its n_s
 * rows and K rows of mean m_g and variance v_g:
 *
 *   m' = (n_s m_s + K m_g) / (n_s + K)
 *   v' = (n_s (v_s + (m_s - m')^2) + K (v_g + (m_g - m')^2)) / (n_s + K)
 *
 * and a value x of speaker s becomes (x - m') / sqrt(v') (sqrt(v') == 0 gives a
 * divisor of 1, as scaler.h does for a constant column). K = 0 is the plain
 * per-speaker z-score; K -> infinity the global z-score. Labels are never used. */
#ifndef SENTIO_SPEAKERNORM_H
#define SENTIO_SPEAKERNORM_H

#include <stddef.h>

#include "base/strmap.h"

/* Count, mean and sum of squared deviations per column (Welford's update, in double). */
typedef struct {
    int cols;
    double n;
    double *mean, *m2;
} norm_moments;

void norm_moments_init(norm_moments *m, int cols);
void norm_moments_add(norm_moments *m, const float *row);
/* into += from (Chan et al.'s pairwise combination). */
void norm_moments_merge(norm_moments *into, const norm_moments *from);
/* Population variance of column c (0 when n == 0). */
double norm_moments_var(const norm_moments *m, int c);
void norm_moments_free(norm_moments *m);

/* The shrunk mean and standard deviation (cols each) of speaker spk toward global
 * with a prior of `prior` pseudo-observations (the formulas above). */
void norm_shrink(const norm_moments *spk, const norm_moments *global, double prior, double *mean,
                 double *sd);

/* Statistics of every speaker of a stream, gathered in a first pass: memory is
 * one norm_moments per speaker, whatever the number of records. */
typedef struct {
    int cols;        /* 0 until the first row */
    strmap speakers; /* speaker names, ids in order of first appearance */
    norm_moments *by_speaker;
    size_t cap;
    norm_moments global; /* valid after norm_stats_finish */
    size_t *clips;       /* records per speaker */
    double prior;
    double **mean, **sd; /* per speaker, after norm_stats_finish */
} norm_stats;

void norm_stats_init(norm_stats *s, double prior);
/* Adds a record of `rows` rows of s->cols values (the first sets cols) to speaker.
 * Returns 0, or -1 when cols differs from the earlier records'. */
int norm_stats_add(norm_stats *s, const char *speaker, const float *x, size_t rows, int cols);
/* Computes the global statistics and every speaker's shrunk mean and sd. */
void norm_stats_finish(norm_stats *s);
/* Normalises rows x cols values of speaker (in place). Returns 0, or -1 when the
 * speaker was not seen in the first pass or cols differs. */
int norm_stats_apply(const norm_stats *s, const char *speaker, float *x, size_t rows, int cols);
void norm_stats_free(norm_stats *s);

#endif
