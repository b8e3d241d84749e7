/* classifier.h - a model file of either kind (nnfit's network, svmfit's SVM),
 * told apart by its first word, behind one interface for nnpredict. */
#ifndef SENTIO_CLASSIFIER_H
#define SENTIO_CLASSIFIER_H

#include "nn/model.h"
#include "svm/svmmodel.h"

#include <stdbool.h>

typedef struct {
    bool is_svm;
    nn_model nn;
    svm_classifier svm;
    /* Views into the model of its kind: */
    int n_inputs, n_classes;
    char **classes;
    const char *feature_meta;
    const char *kind; /* "nnet" or "svm" */
} classifier;

/* Returns 0, or -1 with err ("... (line N)"). */
int classifier_load(classifier *c, const char *path, char *err, size_t errlen);
/* Class probabilities of one raw row (x is modified: standardised in place).
 * 0, or -1 when the values overflow the model (probs are then meaningless). */
int classifier_predict(classifier *c, float *x, double *probs);
void classifier_free(classifier *c);

#endif
