/* groupmetrics.h - accuracy and macro-F1 per speaker (or any group of records,
 * metrics --group/--utt2spk), and their spread over the speakers. Each speaker's
 * figures are those metrics_compute gives for that speaker's records alone
 * (macro-F1 over the classes present in its true or predicted labels, as sklearn's
 * f1_score(average='macro') on them). */
#ifndef SENTIO_GROUPMETRICS_H
#define SENTIO_GROUPMETRICS_H

#include "eval/metrics.h"
#include "stream/speaker.h"

typedef struct {
    char *name;
    uint64_t n;
    double accuracy, macro_f1;
} metrics_group;

typedef struct {
    size_t n;              /* speakers */
    metrics_group *groups; /* sorted by name */
    /* Over the speakers (each counts once): mean, population sd, min, max. */
    double acc_mean, acc_sd, acc_min, acc_max;
    double f1_mean, f1_sd, f1_min, f1_max;
} metrics_groups;

/* Returns 0, or -1 with err naming the first record whose key has no speaker. */
int metrics_by_group(const metrics_data *d, const speaker_map *m, double zero_division,
                     metrics_groups *g, char *err, size_t errlen);
void metrics_groups_free(metrics_groups *g);

/* A table "speaker n accuracy macro_f1", then the spread line. */
void metrics_groups_print_text(FILE *fp, const metrics_groups *g);
/* The same with TABs and a header line; the spread as rows "mean", "sd", "min", "max". */
void metrics_groups_print_tsv(FILE *fp, const metrics_groups *g);
/* ,"per_speaker":{"NAME":{"n":..,"accuracy":..,"macro_f1":..},..},"speaker_spread":{..}
 * (a fragment to put inside metrics_print_json's object). */
void metrics_groups_print_json(FILE *fp, const metrics_groups *g);
/* speaker_accuracy/NAME, speaker_macro_f1/NAME and the spread (speaker_accuracy_sd...). */
struct store_run;
void metrics_groups_record(struct store_run *run, const metrics_groups *g);

#endif
