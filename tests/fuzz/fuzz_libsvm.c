/* fuzz_libsvm - libsvm's svm-predict output scored against the libsvm data it
 * predicted and featdump's class list (metrics_read_libsvm, and the class-list
 * reader feat_libsvm_load_classes; metrics --libsvm DATA --classes LIST). The
 * input is the three files, the class list, the data and the predictions, split
 * at 0xFF bytes. Properties: a rejected input gives -1 and "FILE: what", FILE one
 * of the three, with a final "(line N)" a line of that file; an accepted one has one
 * record per line of the data, every class of the list and no other, a confusion
 * matrix counting every record, and a report with figures in [0, 1] and a log loss
 * that is finite and not negative exactly when every line carried probabilities. */
#include "fuzz.h"

#include "eval/metrics.h"

#include <math.h>

/* Lines as getline reads them: one per line break, and a last one without. */
static size_t file_lines(const char *path)
{
    FILE *fp = fopen(path, "rb");
    FUZZ_ASSERT(fp, "%s vanished", path);
    size_t n = 0;
    int c, last = '\n';
    while ((c = getc(fp)) != EOF) {
        n += c == '\n';
        last = c;
    }
    fclose(fp);
    return n + (last != '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const suffixes[] = {".classes", ".svm", ".out"};
    char paths[3][256];
    unsigned long long lines[3];
    fuzz_files_split(data, size, 3, suffixes, paths, lines);
    metrics_data d;
    metrics_data_init(&d);
    char err[SENTIO_ERR_LEN] = "";
    if (metrics_read_libsvm(&d, paths[1], paths[0], paths[2], err, sizeof err) != 0) {
        fuzz_check_refusal_of_files(err, 3, paths, lines);
        metrics_data_free(&d);
        return 0;
    }
    size_t records = file_lines(paths[1]), classes = file_lines(paths[0]);
    FUZZ_ASSERT(d.n == records, "%zu records from %zu lines of data", d.n, records);
    FUZZ_ASSERT(d.nclasses == classes, "%zu classes from a list of %zu", d.nclasses, classes);
    uint64_t counted = 0;
    for (size_t i = 0; i < d.nclasses * d.nclasses; i++)
        counted += d.confusion[i];
    FUZZ_ASSERT(counted == d.n && d.n > 0, "%zu records, the confusion matrix counts %llu", d.n,
                (unsigned long long)counted);
    for (size_t i = 0; i < d.n; i++)
        FUZZ_ASSERT(d.truth[i] < d.nclasses && d.pred[i] < d.nclasses, "record %zu: class out of range", i);
    metrics_report r;
    metrics_compute(&d, 0, &r);
    FUZZ_ASSERT(r.accuracy >= 0 && r.accuracy <= 1 && r.macro_f1 >= 0 && r.macro_f1 <= 1,
                "accuracy %g, macro F1 %g", r.accuracy, r.macro_f1);
    FUZZ_ASSERT(d.no_probs ? isnan(r.log_loss) : (isfinite(r.log_loss) && r.log_loss >= 0),
                "log loss %g (probabilities %s)", r.log_loss, d.no_probs ? "absent" : "given");
    metrics_report_free(&r);
    metrics_data_free(&d);
    return 0;
}
