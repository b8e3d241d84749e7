/* metrics.h - classification metrics of labelled predictions, computed exactly as
 * scikit-learn 1.2 computes them (classification_report, confusion_matrix,
 * log_loss), and nnpredict's TSV output read into them.
 *
 * The classes of a report are, as in sklearn, the classes that occur as a true
 * or a predicted label, sorted by name (byte order of UTF-8, i.e. code points).
 * The log loss uses every class of the header: it equals
 * sklearn.metrics.log_loss(y_true, P, labels=CLASSES) with sklearn >= 1.2's
 * default eps: each probability clipped to [DBL_EPSILON, 1 - DBL_EPSILON], each
 * row renormalised to sum 1, and the mean of -log p(true class). Sums are
 * numpy's pairwise sums, so figures agree to the last bit. */
#ifndef SENTIO_METRICS_H
#define SENTIO_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/sha256.h"

typedef struct {
    size_t nclasses;
    char **classes;        /* in the header's (= the probability columns') order */
    char *header;          /* the header line, which every input must repeat */
    uint64_t *confusion;   /* nclasses x nclasses, [true * nclasses + pred] */
    double *losses;        /* each record's log loss */
    size_t *truth, *pred;  /* each record's true and predicted class */
    char **keys;           /* each record's key (NULL when added by metrics_add alone) */
    size_t n, cap;         /* records so far */
    sha256_ctx hash;       /* every byte read, over all inputs (the store's input_sha256) */
    double *row, *clipped; /* scratch: one record's probabilities */
    bool no_probs;         /* some record came without probabilities: no log loss */
} metrics_data;

/* A zeroed metrics_data is empty; metrics_data_init also starts the hash. */
void metrics_data_init(metrics_data *d);
void metrics_data_free(metrics_data *d);
/* The confusion matrix is classes x classes and is printed whole: a header of a
 * few kilobytes must not ask for gigabytes (plotdata's limit too). */
#define METRICS_MAX_CLASSES 1024
/* Sets the classes (once, before metrics_add). Returns 0, or -1 with err set
 * when a name is empty or repeated, or there are more than METRICS_MAX_CLASSES. */
int metrics_set_classes(metrics_data *d, size_t n, char *const *classes, char *err, size_t errlen);
/* One record: true and predicted class (indices into classes) and its
 * probabilities in class order, or NULL for a hard prediction (the report then
 * has no log loss: NaN, "n/a" in text, null in JSON, not recorded). */
void metrics_add(metrics_data *d, size_t truth, size_t pred, const double *probs);

/* Reads one nnpredict TSV input (header "key label pred p_CLASS...", then one line
 * per record) and adds its records. The first input sets the classes; later
 * inputs must have the same header. A UTF-8 BOM and CRLF line ends are accepted;
 * a line repeating the header (as `cat a.tsv b.tsv` gives) is skipped. Returns
 * 0, or -1 with err set to "what went wrong (line N)". */
int metrics_read(metrics_data *d, FILE *fp, char *err, size_t errlen);
/* metrics_read of the file PATH, or of stdin when PATH is "-"; a file that cannot
 * be opened sets err to the system's reason alone ("No such file or directory"). */
int metrics_read_path(metrics_data *d, const char *path, char *err, size_t errlen);

/* Predictions sentio did not make, each scored against its truth:
 *  - a Kaggle submission (Filename,Class) against the competition's solution CSV
 *    (Filename,Class, other columns ignored): joined on Filename; a file of the
 *    solution without exactly one row in the submission, or a submission row for
 *    a file the solution lacks, is an error naming it;
 *  - libsvm's svm-predict output (a label per line, or with -b 1 a "labels ..."
 *    header and "label p1 p2 ..." lines) against the libsvm data it predicted
 *    (the first field of each line is the true label), the numbers named by the
 *    class list featdump --libsvm --save-classes wrote (line k = label k).
 * The hash gets the prediction file's bytes (lineage: nnpredict's output_sha256).
 * Return 0, or -1 with err set ("FILE: what (line N)"). */
int metrics_read_kaggle(metrics_data *d, const char *solution, const char *submission, char *err,
                        size_t errlen);
int metrics_read_libsvm(metrics_data *d, const char *data, const char *classes,
                        const char *predictions, char *err, size_t errlen);

typedef struct {
    size_t nlabels;
    size_t *labels; /* the report's classes: indices into classes, sorted by name */
    double *precision, *recall, *f1;
    uint64_t *support;
    bool *no_predicted; /* precision ill-defined (never predicted) */
    bool *no_true;      /* recall ill-defined (never a true label) */
    uint64_t n, correct;
    double accuracy; /* correct / n */
    double micro_f1; /* what sklearn's report prints on its accuracy line */
    double macro_precision, macro_recall, macro_f1;
    double weighted_precision, weighted_recall, weighted_f1;
    double log_loss;
} metrics_report;

/* zero_division: the value (0 or 1) given to precision or recall where its
 * denominator is zero, as sklearn's zero_division. */
void metrics_compute(const metrics_data *d, double zero_division, metrics_report *r);
void metrics_report_free(metrics_report *r);

/* numpy's pairwise summation (np.sum of a float64 array). */
double metrics_pairwise_sum(const double *x, size_t n);

/* The default output: sklearn's classification_report text with DIGITS digits,
 * as print() shows it, then the confusion matrix and the log loss. */
void metrics_print_text(FILE *fp, const metrics_data *d, const metrics_report *r, int digits);
/* One line of JSON: {"n":..,"accuracy":..,"macro_f1":..,"weighted_f1":..,
 * "log_loss":..,"per_class":{..},"confusion":{"labels":[..],"matrix":[[..]..]}} */
void metrics_print_json(FILE *fp, const metrics_data *d, const metrics_report *r);
/* A tidy table: class, precision, recall, f1, support; then the rows accuracy,
 * macro avg, weighted avg (see metrics(1)). */
void metrics_print_tsv(FILE *fp, const metrics_data *d, const metrics_report *r);

/* Records the summary (accuracy, macro_f1, weighted_f1, log_loss, n) and the
 * per-class figures (precision/NAME, recall/NAME, f1/NAME, support/NAME) as
 * step-0 metrics of run (nothing when run is NULL). */
struct store_run;
void metrics_record(struct store_run *run, const metrics_data *d, const metrics_report *r);

#endif
