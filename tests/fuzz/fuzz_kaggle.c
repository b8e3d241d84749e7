/* fuzz_kaggle - a Kaggle submission scored against the competition's solution CSV
 * (metrics_read_kaggle; metrics --truth SOLUTION SUBMISSION): the two CSV files
 * split at a 0xFF byte. Properties: a rejected input gives -1 and "FILE: what",
 * FILE the solution or the submission, with a final "(line N)" a line of that file;
 * an accepted one has one record per row of the solution, in order, with that row's
 * class as its truth, a confusion matrix counting every record, no probabilities (so
 * no log loss), and a report with figures in [0, 1]. */
#include "fuzz.h"

#include "eval/metrics.h"
#include "stream/cliplist.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const suffixes[] = {".solution.csv", ".submission.csv"};
    char paths[2][256];
    unsigned long long lines[2];
    fuzz_files_split(data, size, 2, suffixes, paths, lines);
    metrics_data d;
    metrics_data_init(&d);
    char err[SENTIO_ERR_LEN] = "";
    if (metrics_read_kaggle(&d, paths[0], paths[1], err, sizeof err) != 0) {
        fuzz_check_refusal_of_files(err, 2, paths, lines);
        metrics_data_free(&d);
        return 0;
    }
    clip_list truth = {0};
    FUZZ_ASSERT(clip_list_read_csv(&truth, paths[0], "", err, sizeof err) == 0, "solution read twice: %s", err);
    FUZZ_ASSERT(d.n == truth.n && d.n > 0, "%zu records from a solution of %zu rows", d.n, truth.n);
    uint64_t counted = 0;
    for (size_t i = 0; i < d.nclasses * d.nclasses; i++)
        counted += d.confusion[i];
    FUZZ_ASSERT(counted == d.n, "%zu records, the confusion matrix counts %llu", d.n, (unsigned long long)counted);
    for (size_t i = 0; i < d.n; i++)
        FUZZ_ASSERT(d.truth[i] < d.nclasses && d.pred[i] < d.nclasses &&
                        strcmp(d.classes[d.truth[i]], truth.items[i].label) == 0,
                    "record %zu: class out of range, or not the solution's", i);
    clip_list_free(&truth);
    metrics_report r;
    metrics_compute(&d, 0, &r);
    FUZZ_ASSERT(d.no_probs && isnan(r.log_loss), "a log loss (%g) without probabilities", r.log_loss);
    FUZZ_ASSERT(r.accuracy >= 0 && r.accuracy <= 1 && r.macro_f1 >= 0 && r.macro_f1 <= 1,
                "accuracy %g, macro F1 %g", r.accuracy, r.macro_f1);
    metrics_report_free(&r);
    metrics_data_free(&d);
    return 0;
}
