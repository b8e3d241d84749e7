#include "nn/fit.h"

#include "base/cli.h"
#include "base/err.h"
#include "base/json.h"
#include "nn/scaler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fit_options_default(fit_options *o)
{
    train_options_default(&o->train);
    o->arch = "ann";
    o->standardize = true;
    o->val_path = NULL;
}

static int read_val(fit_data *d, const char *val_path, char *err, size_t errlen)
{
    char *vp = (char *)val_path;
    if (featset_read(&d->val, 1, &vp, &d->val_hash, err, errlen) < 0)
        return -1;
    d->has_val = true;
    if (d->val.cols != d->train.cols)
        return err_set(err, errlen, "%s: %d values per record, but the training records have %d",
                       val_path, d->val.cols, d->train.cols);
    if (strcmp(d->val.meta, d->train.meta) != 0)
        return err_set(err, errlen,
                       "%s: feature metadata '%s' differs from the training stream's '%s'",
                       val_path, d->val.meta, d->train.meta);
    d->vy = cli_xmalloc(d->val.n * sizeof *d->vy);
    char why[512];
    if (featset_encode(&d->val, d->classes, d->n_classes, d->vy, why, sizeof why) < 0)
        return err_set(err, errlen, "%s: %s", val_path, why);
    return 0;
}

int fit_data_read(fit_data *d, int nfiles, char **files, const char *val_path, char *err,
                  size_t errlen)
{
    memset(d, 0, sizeof *d);
    sha256_init(&d->train_hash);
    sha256_init(&d->val_hash);
    if (featset_read(&d->train, nfiles, files, &d->train_hash, err, errlen) < 0)
        return -1;
    d->n_classes = featset_classes(&d->train, &d->classes);
    if (d->n_classes < 2)
        return err_set(err, errlen, "%s: only one class ('%s'): training needs at least two",
                       nfiles > 0 ? files[nfiles - 1] : "(stdin)", d->classes[0]);
    d->y = cli_xmalloc(d->train.n * sizeof *d->y);
    featset_encode(&d->train, d->classes, d->n_classes, d->y, err, errlen);
    return val_path ? read_val(d, val_path, err, errlen) : 0;
}

void fit_data_free(fit_data *d)
{
    for (int i = 0; i < d->n_classes; ++i)
        free(d->classes[i]);
    free(d->classes);
    free(d->y);
    free(d->vy);
    featset_free(&d->train);
    if (d->has_val)
        featset_free(&d->val);
    memset(d, 0, sizeof *d);
}

/* An option's value: integers as such, others in the shortest form that reads
 * back as the same double. */
static void add_option(nn_model *m, const char *key, double v)
{
    modelfile_add_number(&m->head.options, &m->head.n_options, key, v);
}

int fit_model_init(nn_model *m, const fit_options *o, fit_data *d, char *err, size_t errlen)
{
    if (model_init(m, o->arch, d->train.cols, d->n_classes, d->classes, d->train.meta, err,
                   errlen) < 0)
        return -1;
    m->head.standardize = o->standardize;
    if (o->standardize) {
        int cols = d->train.cols;
        m->head.mean = cli_xmalloc((size_t)cols * sizeof(float));
        m->head.std = cli_xmalloc((size_t)cols * sizeof(float));
        scaler_fit(d->train.x, d->train.n, cols, m->head.mean, m->head.std);
        scaler_apply(m->head.mean, m->head.std, d->train.x, d->train.n, cols);
        if (d->has_val)
            scaler_apply(m->head.mean, m->head.std, d->val.x, d->val.n, d->val.cols);
    }
    const train_options *t = &o->train;
    model_add_option(m, "arch", o->arch);
    add_option(m, "epochs", t->epochs);
    add_option(m, "batch", t->batch);
    add_option(m, "lr", t->lr);
    add_option(m, "beta1", t->beta1);
    add_option(m, "beta2", t->beta2);
    add_option(m, "epsilon", t->epsilon);
    model_add_option(m, "val", d->has_val ? "yes" : "no");
    add_option(m, "patience", t->patience);
    add_option(m, "lr_factor", t->lr_factor);
    add_option(m, "lr_patience", t->lr_patience);
    add_option(m, "lr_min_delta", t->lr_min_delta);
    add_option(m, "standardize", o->standardize);
    add_option(m, "seed", (double)t->seed);
    return 0;
}

int fit_train(nn_model *m, const fit_options *o, const fit_data *d, train_history *hist,
              train_epoch_fn on_epoch, void *ctx, char *err, size_t errlen)
{
    dataset train = {d->train.x, d->y, d->train.n};
    dataset val = {d->has_val ? d->val.x : NULL, d->vy, d->has_val ? d->val.n : 0};
    if (train_fit(&m->net, &o->train, &train, d->has_val ? &val : NULL, hist, on_epoch, ctx, err,
                  errlen) < 0)
        return -1;
    add_option(m, "train_rows", (double)d->train.n);
    add_option(m, "val_rows", d->has_val ? (double)d->val.n : 0.0);
    /* Results go last, after the options they came from. */
    char buf[64];
    snprintf(buf, sizeof buf, "%d", hist->n);
    model_add_result(m, "epochs_run", buf);
    if (d->has_val) {
        snprintf(buf, sizeof buf, "%d", hist->best_epoch);
        model_add_result(m, "best_epoch", buf);
        snprintf(buf, sizeof buf, "%.9g", hist->best_val_loss);
        model_add_result(m, "best_val_loss", buf);
        model_add_result(m, "restored_best", hist->stopped ? "yes" : "no");
    }
    return 0;
}

void fit_print_epoch(const train_epoch *e, FILE *fp)
{
    fprintf(fp, "epoch %d loss %.4f acc %.4f", e->epoch, e->loss, e->acc);
    if (!isnan(e->val_loss))
        fprintf(fp, " val_loss %.4f val_acc %.4f", e->val_loss, e->val_acc);
    fprintf(fp, " lr %.4g\n", e->lr);
}

void fit_print_summary(const train_history *h, bool has_val, FILE *fp)
{
    if (has_val && h->best_epoch > 0) {
        const train_epoch *b = &h->epochs[h->best_epoch - 1];
        fprintf(fp, "best epoch %d val_loss %.4f val_acc %.4f (%s)\n", b->epoch, b->val_loss,
                b->val_acc,
                h->stopped ? "early stop: its weights were restored"
                           : "ran every epoch: the last epoch's weights are kept, as Keras does");
    } else {
        const train_epoch *last = &h->epochs[h->n - 1];
        fprintf(fp, "best epoch %d loss %.4f acc %.4f (no validation: the last epoch)\n",
                last->epoch, last->loss, last->acc);
    }
}
