#include "svm/classifier.h"

#include <string.h>

int classifier_load(classifier *c, const char *path, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    char magic[32];
    modelfile_magic(path, magic, sizeof magic);
    c->is_svm = strcmp(magic, SVM_MODEL_MAGIC) == 0;
    if (c->is_svm) {
        if (svm_classifier_load(&c->svm, path, err, errlen) < 0)
            return -1;
        c->n_inputs = c->svm.n_inputs;
        c->n_classes = c->svm.head.n_classes;
        c->classes = c->svm.head.classes;
        c->feature_meta = c->svm.head.feature_meta;
        c->kind = "svm";
        return 0;
    }
    /* Anything else is read as a network, whose loader says what is wrong with it. */
    if (model_load(&c->nn, path, err, errlen) < 0)
        return -1;
    c->n_inputs = c->nn.n_inputs;
    c->n_classes = c->nn.head.n_classes;
    c->classes = c->nn.head.classes;
    c->feature_meta = c->nn.head.feature_meta;
    c->kind = "nnet";
    return 0;
}

void classifier_predict(classifier *c, float *x, double *probs)
{
    if (c->is_svm)
        svm_classifier_predict(&c->svm, x, probs);
    else
        model_predict(&c->nn, x, 1, probs);
}

void classifier_free(classifier *c)
{
    if (c->is_svm)
        svm_classifier_free(&c->svm);
    else
        model_free(&c->nn);
    memset(c, 0, sizeof *c);
}
