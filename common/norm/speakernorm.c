#include "norm/speakernorm.h"

#include "base/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void norm_moments_init(norm_moments *m, int cols)
{
    m->cols = cols;
    m->n = 0;
    m->mean = cli_xcalloc((size_t)cols, sizeof *m->mean);
    m->m2 = cli_xcalloc((size_t)cols, sizeof *m->m2);
}

void norm_moments_add(norm_moments *m, const float *row)
{
    m->n += 1;
    for (int c = 0; c < m->cols; ++c) {
        double d = row[c] - m->mean[c];
        m->mean[c] += d / m->n;
        m->m2[c] += d * (row[c] - m->mean[c]);
    }
}

void norm_moments_merge(norm_moments *into, const norm_moments *from)
{
    if (from->n == 0)
        return;
    double n = into->n + from->n;
    for (int c = 0; c < into->cols; ++c) {
        double d = from->mean[c] - into->mean[c];
        into->mean[c] += d * from->n / n;
        into->m2[c] += from->m2[c] + d * d * into->n * from->n / n;
    }
    into->n = n;
}

double norm_moments_var(const norm_moments *m, int c) { return m->n > 0 ? m->m2[c] / m->n : 0.0; }

void norm_moments_free(norm_moments *m)
{
    free(m->mean);
    free(m->m2);
    memset(m, 0, sizeof *m);
}

void norm_shrink(const norm_moments *spk, const norm_moments *global, double prior, double *mean,
                 double *sd)
{
    double ns = spk->n, w = ns + prior;
    for (int c = 0; c < spk->cols; ++c) {
        double ms = spk->mean[c], mg = global->mean[c];
        double m = w > 0 ? (ns * ms + prior * mg) / w : mg;
        double dev_s = ms - m, dev_g = mg - m;
        double v = w > 0 ? (ns * (norm_moments_var(spk, c) + dev_s * dev_s) +
                            prior * (norm_moments_var(global, c) + dev_g * dev_g)) /
                               w
                         : norm_moments_var(global, c);
        double s = sqrt(v > 0 ? v : 0);
        mean[c] = m;
        sd[c] = s > 0 ? s : 1.0;
    }
}

void norm_stats_init(norm_stats *s, double prior)
{
    memset(s, 0, sizeof *s);
    s->prior = prior;
}

int norm_stats_add(norm_stats *s, const char *speaker, const float *x, size_t rows, int cols)
{
    if (s->cols == 0)
        s->cols = cols;
    if (cols != s->cols)
        return -1;
    size_t id = strmap_add(&s->speakers, speaker);
    if (id >= s->cap) {
        size_t cap = cli_grown(s->cap, 16);
        s->by_speaker = cli_xreallocarray(s->by_speaker, cap, sizeof *s->by_speaker);
        s->clips = cli_xreallocarray(s->clips, cap, sizeof *s->clips);
        s->cap = cap;
    }
    if (s->speakers.counts[id] == 1) { /* a new speaker */
        norm_moments_init(&s->by_speaker[id], cols);
        s->clips[id] = 0;
    }
    s->clips[id]++;
    for (size_t r = 0; r < rows; ++r)
        norm_moments_add(&s->by_speaker[id], x + r * (size_t)cols);
    return 0;
}

void norm_stats_finish(norm_stats *s)
{
    norm_moments_init(&s->global, s->cols);
    size_t k = s->speakers.n;
    for (size_t i = 0; i < k; ++i)
        norm_moments_merge(&s->global, &s->by_speaker[i]);
    s->mean = cli_xcalloc(k ? k : 1, sizeof *s->mean);
    s->sd = cli_xcalloc(k ? k : 1, sizeof *s->sd);
    for (size_t i = 0; i < k; ++i) {
        s->mean[i] = cli_xmalloc((size_t)s->cols * sizeof **s->mean);
        s->sd[i] = cli_xmalloc((size_t)s->cols * sizeof **s->sd);
        norm_shrink(&s->by_speaker[i], &s->global, s->prior, s->mean[i], s->sd[i]);
    }
}

int norm_stats_apply(const norm_stats *s, const char *speaker, float *x, size_t rows, int cols)
{
    size_t id = strmap_find(&s->speakers, speaker);
    if (id == STRMAP_NONE || cols != s->cols)
        return -1;
    const double *m = s->mean[id], *sd = s->sd[id];
    for (size_t r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            float *v = &x[r * (size_t)cols + (size_t)c];
            *v = (float)((*v - m[c]) / sd[c]);
        }
    return 0;
}

void norm_stats_free(norm_stats *s)
{
    for (size_t i = 0; i < s->speakers.n; ++i) {
        norm_moments_free(&s->by_speaker[i]);
        if (s->mean)
            free(s->mean[i]);
        if (s->sd)
            free(s->sd[i]);
    }
    free(s->by_speaker);
    free(s->clips);
    free(s->mean);
    free(s->sd);
    norm_moments_free(&s->global);
    strmap_free(&s->speakers);
    memset(s, 0, sizeof *s);
}
