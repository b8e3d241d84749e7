/* svmmodel.h - svmfit's classifier: a C-SVC trained by libsvm on z-scored features,
 * with Platt-scaled class probabilities, and its model file (man 1 svmfit), in
 * the container every sentio model shares (nn/modelfile.h):
 *
 *   sentio-svm 1
 *   # ...
 *   kernel rbf|linear
 *   inputs N
 *   classes K / class NAME ... / feature_meta TEXT   the classes in output order;
 *                                                    libsvm's label i is class i
 *   standardize 1 / mean ... / std ...
 *   option KEY VALUE ... / result KEY VALUE ...
 *   libsvm L                                         then L lines: libsvm's own
 *                                                    model file, C locale
 *   sha256 HEX
 */
#ifndef SENTIO_SVMMODEL_H
#define SENTIO_SVMMODEL_H

#include "nn/modelfile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SVM_MODEL_MAGIC "sentio-svm"
#define SVM_MODEL_VERSION 1

struct svm_model;
struct svm_node;

typedef enum { SVM_KERNEL_RBF, SVM_KERNEL_LINEAR } svm_kernel;

typedef struct {
    svm_kernel kernel;
    double C, gamma;
    bool probability; /* Platt scaling (libsvm's -b 1); its internal CV draws rand() */
    unsigned seed;    /* srand(seed) before each training: the same seed, the same model */
} svm_train_options;

/* A training set in libsvm's form: n rows of cols values (dense, 1-based indices). */
typedef struct {
    size_t n;
    int cols;
    struct svm_node *nodes; /* n * (cols + 1) */
    struct svm_node **rows;
    double *y; /* class indices as doubles */
} svm_data;

/* x (n x cols, already standardised) and y (class indices) in libsvm's form. */
void svm_data_init(svm_data *d, const float *x, const int *y, size_t n, int cols);
void svm_data_free(svm_data *d);

/* Trains on the rows of d listed in idx[0..n) (all rows when idx is NULL). The
 * model points into d: keep d until the model is freed. NULL with err set when
 * libsvm refuses the parameters. */
struct svm_model *svm_fit(const svm_data *d, const size_t *idx, size_t n,
                          const svm_train_options *o, char *err, size_t errlen);
/* The class index libsvm predicts for row r of d (decision values, no probabilities). */
int svm_predict_row(const struct svm_model *m, const svm_data *d, size_t r);
void svm_model_release(struct svm_model *m);

typedef struct {
    svm_kernel kernel;
    int n_inputs;
    modelfile_head head;
    char *libsvm_text;     /* libsvm's model file */
    struct svm_model *svm; /* loaded from libsvm_text */
    int *prob_index;       /* libsvm's probability j is class prob_index[j] */
    struct svm_node *node; /* n_inputs + 1: one row for prediction */
    double *prob_buf;      /* libsvm's probabilities, in its label order */
} svm_classifier;

const char *svm_kernel_name(svm_kernel k);
/* Takes the trained model's text (libsvm's own format) into c. Returns 0, or -1
 * with err set. c->head is the caller's to fill (classes, meta, scaler, options). */
int svm_classifier_adopt(svm_classifier *c, const struct svm_model *m, char *err, size_t errlen);
int svm_classifier_write(const svm_classifier *c, FILE *fp, char file_sha256[65], size_t *bytes);
/* Reads and verifies a model file. Returns 0, or -1 with err ("... (line N)"). */
int svm_classifier_load(svm_classifier *c, const char *path, char *err, size_t errlen);
/* Class probabilities of one raw row x (standardised here: x is modified). */
void svm_classifier_predict(svm_classifier *c, float *x, double *probs);
void svm_classifier_free(svm_classifier *c);

#endif
