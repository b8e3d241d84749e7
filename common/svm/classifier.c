#include "svm/classifier.h"

#include <math.h>
#include <string.h>

int classifier_load(classifier *c, const char *path, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    char magic[32];
    modelfile_magic(path, magic, sizeof magic);
    c->is_svm = strcmp(magic, SVM_MODEL_MAGIC) == 0;
    /* Anything but an SVM is read as a network, whose loader says what is wrong with it. */
    if (c->is_svm ? svm_classifier_load(&c->svm, path, err, errlen) < 0
                  : model_load(&c->nn, path, err, errlen) < 0)
        return -1;
    const modelfile_head *h = c->is_svm ? &c->svm.head : &c->nn.head;
    c->n_inputs = c->is_svm ? c->svm.n_inputs : c->nn.n_inputs;
    c->n_classes = h->n_classes;
    c->classes = h->classes;
    c->feature_meta = h->feature_meta;
    c->kind = c->is_svm ? "svm" : "nnet";
    return 0;
}

int classifier_predict(classifier *c, float *x, double *probs)
{
    if (!c->is_svm)
        return model_predict(&c->nn, x, 1, probs);
    svm_classifier_predict(&c->svm, x, probs);
    /* x is standardised now: values beyond float32 after it give no meaningful kernel. */
    for (int i = 0; i < c->n_inputs; i++)
        if (!isfinite(x[i]))
            return -1;
    for (int j = 0; j < c->n_classes; j++)
        if (!isfinite(probs[j]))
            return -1;
    return 0;
}

void classifier_free(classifier *c)
{
    if (c->is_svm)
        svm_classifier_free(&c->svm);
    else
        model_free(&c->nn);
    memset(c, 0, sizeof *c);
}
