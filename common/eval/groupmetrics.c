#include "eval/groupmetrics.h"

#include "base/json.h"
#include "base/strmap.h"
#include "base/xalloc.h"
#include "store/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(((const metrics_group *)a)->name, ((const metrics_group *)b)->name);
}

/* mean, population sd, min and max of x[i * stride] for i < n. */
static void spread(const double *x, size_t n, double *mean, double *sd, double *lo, double *hi)
{
    double sum = 0, ss = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; ++i) {
        sum += x[i];
        *lo = fmin(*lo, x[i]);
        *hi = fmax(*hi, x[i]);
    }
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; ++i)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *sd = sqrt(ss / (double)n);
}

int metrics_by_group(const metrics_data *d, const speaker_map *m, double zero_division,
                     metrics_groups *g, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    size_t *ids = cli_xmalloc((d->n ? d->n : 1) * sizeof *ids);
    strmap names = {0};
    size_t ngroups = 0;
    if (speaker_ids(m, d->keys, d->n, ids, &names, &ngroups, err, errlen) < 0) {
        free(ids);
        strmap_free(&names);
        return -1;
    }
    size_t k = d->nclasses;
    g->n = ngroups;
    g->groups = cli_xcalloc(ngroups ? ngroups : 1, sizeof *g->groups);
    for (size_t s = 0; s < ngroups; ++s) {
        /* The speaker's records as a metrics_data of their own. */
        metrics_data sub;
        metrics_data_init(&sub);
        metrics_set_classes(&sub, k, d->classes, err, errlen);
        sub.losses = cli_xmalloc((d->n ? d->n : 1) * sizeof *sub.losses);
        for (size_t i = 0; i < d->n; ++i)
            if (ids[i] == s) {
                sub.confusion[d->truth[i] * k + d->pred[i]]++;
                sub.losses[sub.n++] = d->losses[i];
            }
        sub.cap = d->n;
        metrics_report r;
        metrics_compute(&sub, zero_division, &r);
        g->groups[s] = (metrics_group){.name = cli_xstrdup(names.names[s]),
                                       .n = r.n,
                                       .accuracy = r.accuracy,
                                       .macro_f1 = r.macro_f1};
        metrics_report_free(&r);
        metrics_data_free(&sub);
    }
    qsort(g->groups, ngroups, sizeof *g->groups, by_name);
    double *acc = cli_xmalloc((ngroups ? ngroups : 1) * sizeof *acc);
    double *f1 = cli_xmalloc((ngroups ? ngroups : 1) * sizeof *f1);
    for (size_t s = 0; s < ngroups; ++s) {
        acc[s] = g->groups[s].accuracy;
        f1[s] = g->groups[s].macro_f1;
    }
    if (ngroups) {
        spread(acc, ngroups, &g->acc_mean, &g->acc_sd, &g->acc_min, &g->acc_max);
        spread(f1, ngroups, &g->f1_mean, &g->f1_sd, &g->f1_min, &g->f1_max);
    }
    free(acc);
    free(f1);
    free(ids);
    strmap_free(&names);
    return 0;
}

void metrics_groups_free(metrics_groups *g)
{
    for (size_t s = 0; s < g->n; ++s)
        free(g->groups[s].name);
    free(g->groups);
    memset(g, 0, sizeof *g);
}

void metrics_groups_print_text(FILE *fp, const metrics_groups *g)
{
    int width = 7;
    for (size_t s = 0; s < g->n; ++s)
        if ((int)strlen(g->groups[s].name) > width)
            width = (int)strlen(g->groups[s].name);
    fprintf(fp, "\n%-*s %6s %9s %9s\n", width, "speaker", "n", "accuracy", "macro_f1");
    for (size_t s = 0; s < g->n; ++s)
        fprintf(fp, "%-*s %6llu %9.4f %9.4f\n", width, g->groups[s].name,
                (unsigned long long)g->groups[s].n, g->groups[s].accuracy, g->groups[s].macro_f1);
    fprintf(fp, "\nover %zu speakers: accuracy mean %.4f sd %.4f min %.4f max %.4f\n", g->n,
            g->acc_mean, g->acc_sd, g->acc_min, g->acc_max);
    fprintf(fp, "over %zu speakers: macro-F1 mean %.4f sd %.4f min %.4f max %.4f\n", g->n,
            g->f1_mean, g->f1_sd, g->f1_min, g->f1_max);
}

void metrics_groups_print_tsv(FILE *fp, const metrics_groups *g)
{
    fputs("\nspeaker\tn\taccuracy\tmacro_f1\n", fp);
    for (size_t s = 0; s < g->n; ++s)
        fprintf(fp, "%s\t%llu\t%.17g\t%.17g\n", g->groups[s].name,
                (unsigned long long)g->groups[s].n, g->groups[s].accuracy, g->groups[s].macro_f1);
    fprintf(fp, "mean\t%zu\t%.17g\t%.17g\n", g->n, g->acc_mean, g->f1_mean);
    fprintf(fp, "sd\t%zu\t%.17g\t%.17g\n", g->n, g->acc_sd, g->f1_sd);
    fprintf(fp, "min\t%zu\t%.17g\t%.17g\n", g->n, g->acc_min, g->f1_min);
    fprintf(fp, "max\t%zu\t%.17g\t%.17g\n", g->n, g->acc_max, g->f1_max);
}

void metrics_groups_print_json(FILE *fp, const metrics_groups *g)
{
    fputs(",\"per_speaker\":{", fp);
    for (size_t s = 0; s < g->n; ++s) {
        if (s)
            fputc(',', fp);
        json_write_string(fp, g->groups[s].name);
        fprintf(fp, ":{\"n\":%llu,\"accuracy\":", (unsigned long long)g->groups[s].n);
        json_write_double(fp, g->groups[s].accuracy);
        fputs(",\"macro_f1\":", fp);
        json_write_double(fp, g->groups[s].macro_f1);
        fputc('}', fp);
    }
    fprintf(fp, "},\"speaker_spread\":{\"speakers\":%zu", g->n);
    const char *names[] = {"accuracy_mean", "accuracy_sd", "accuracy_min", "accuracy_max",
                           "macro_f1_mean", "macro_f1_sd", "macro_f1_min", "macro_f1_max"};
    const double v[] = {g->acc_mean, g->acc_sd, g->acc_min, g->acc_max,
                        g->f1_mean,  g->f1_sd,  g->f1_min,  g->f1_max};
    for (int i = 0; i < 8; ++i) {
        fprintf(fp, ",\"%s\":", names[i]);
        json_write_double(fp, v[i]);
    }
    fputc('}', fp);
}

void metrics_groups_record(struct store_run *run, const metrics_groups *g)
{
    if (!run)
        return;
    for (size_t s = 0; s < g->n; ++s) {
        size_t len = strlen(g->groups[s].name) + 32;
        char *key = cli_xmalloc(len);
        snprintf(key, len, "speaker_accuracy/%s", g->groups[s].name);
        store_metric(run, key, 0, g->groups[s].accuracy);
        snprintf(key, len, "speaker_macro_f1/%s", g->groups[s].name);
        store_metric(run, key, 0, g->groups[s].macro_f1);
        free(key);
    }
    store_metric(run, "speakers", 0, (double)g->n);
    store_metric(run, "speaker_accuracy_mean", 0, g->acc_mean);
    store_metric(run, "speaker_accuracy_sd", 0, g->acc_sd);
    store_metric(run, "speaker_accuracy_min", 0, g->acc_min);
    store_metric(run, "speaker_accuracy_max", 0, g->acc_max);
    store_metric(run, "speaker_macro_f1_mean", 0, g->f1_mean);
    store_metric(run, "speaker_macro_f1_sd", 0, g->f1_sd);
    store_metric(run, "speaker_macro_f1_min", 0, g->f1_min);
    store_metric(run, "speaker_macro_f1_max", 0, g->f1_max);
}
