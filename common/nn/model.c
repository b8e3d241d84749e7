#include "nn/model.h"

#include "base/err.h"
#include "base/xalloc.h"
#include "nn/modelfile.h"
#include "nn/scaler.h"
#include "stream/featstream.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int model_init_max(nn_model *m, const char *arch, int n_inputs, int n_classes,
                          char **classes, const char *feature_meta, size_t max_params, char *err,
                          size_t errlen)
{
    memset(m, 0, sizeof *m);
    arch_spec spec;
    if (arch_parse(arch, &spec, err, errlen) < 0)
        return -1;
    int rc = nn_init_max(&m->net, &spec, n_inputs, n_classes, max_params, err, errlen);
    if (rc == 0)
        m->arch = arch_format(&spec);
    arch_free(&spec);
    if (rc < 0)
        return -1;
    m->n_inputs = n_inputs;
    m->head.n_classes = n_classes;
    m->head.classes = cli_xcalloc((size_t)n_classes, sizeof *m->head.classes);
    for (int i = 0; i < n_classes; ++i)
        m->head.classes[i] = cli_xstrdup(classes[i]);
    m->head.feature_meta = cli_xstrdup(feature_meta ? feature_meta : "");
    return 0;
}

int model_init(nn_model *m, const char *arch, int n_inputs, int n_classes, char **classes,
               const char *feature_meta, char *err, size_t errlen)
{
    return model_init_max(m, arch, n_inputs, n_classes, classes, feature_meta, NN_MAX_PARAMS, err,
                          errlen);
}

void model_add_option(nn_model *m, const char *key, const char *value)
{
    modelfile_add_kv(&m->head.options, &m->head.n_options, key, value);
}

void model_add_result(nn_model *m, const char *key, const char *value)
{
    modelfile_add_kv(&m->head.results, &m->head.n_results, key, value);
}

static const char *kind_name(nn_kind k)
{
    static const char *names[] = {"dense", "relu", "dropout", "conv1d", "maxpool1d", "flatten"};
    return names[k];
}

static void write_lines(FILE *mem, const void *ctx)
{
    const nn_model *m = ctx;
    fprintf(mem, "# sentio neural network (man 1 nnfit); edit nothing: the checksum covers it\n");
    for (int l = 0; l < m->net.n_layers; ++l) {
        const nn_layer *L = &m->net.layers[l];
        fprintf(mem, "# layer %d %s in (%d,%d) out (%d,%d) weights %zu+%zu%s\n", l + 1,
                kind_name(L->kind), L->in_len, L->in_ch, L->out_len, L->out_ch, L->n_w, L->n_b,
                l == m->net.n_layers - 1 ? " (output, softmax)" : "");
    }
    fprintf(mem, "arch %s\n", m->arch);
    fprintf(mem, "inputs %d\n", m->n_inputs);
    modelfile_write_head(mem, &m->head, m->n_inputs);
    fprintf(mem, "params %zu\n", m->net.n_params);
    for (size_t i = 0; i < m->net.n_params; ++i)
        fprintf(mem, "%.9g%c", (double)m->net.params[i],
                i % 8 == 7 || i + 1 == m->net.n_params ? '\n' : ' ');
}

int model_write(const nn_model *m, FILE *fp, char file_sha256[65], size_t *bytes)
{
    return modelfile_write(fp, MODEL_MAGIC, MODEL_VERSION, write_lines, m, file_sha256, bytes);
}

void model_free(nn_model *m)
{
    free(m->arch);
    modelfile_head_free(&m->head);
    nn_free(&m->net);
    memset(m, 0, sizeof *m);
}

int model_predict(nn_model *m, float *x, int n, double *probs)
{
    if (m->head.standardize)
        scaler_apply(m->head.mean, m->head.std, x, (size_t)n, m->n_inputs);
    const float *logits = nn_forward(&m->net, x, n, NULL);
    int rc = 0;
    for (int i = 0; i < n; ++i) {
        /* Values too large for float32 overflow inside the network; a ReLU then turns
         * the NaN of inf - inf into 0 and the logits look fine: check every layer. */
        bool finite = true;
        for (int l = 0; l <= m->net.n_layers && finite; ++l) {
            size_t rs =
                l == 0 ? (size_t)m->n_inputs
                       : (size_t)m->net.layers[l - 1].out_len * (size_t)m->net.layers[l - 1].out_ch;
            const float *a = m->net.work.act[l] + (size_t)i * rs;
            for (size_t j = 0; j < rs && finite; ++j)
                finite = isfinite(a[j]);
        }
        if (!finite)
            rc = -1;
        nn_softmax(logits + (size_t)i * m->head.n_classes, m->head.n_classes,
                   probs + (size_t)i * m->head.n_classes);
        for (int j = 0; j < m->head.n_classes && !finite; ++j)
            probs[(size_t)i * m->head.n_classes + j] = NAN;
    }
    return rc;
}

static int parse_body(modelfile_reader *r, void *ctx)
{
    nn_model *m = ctx;
    char *v;
    if (!(v = modelfile_expect(r, "arch")))
        return -1;
    char *arch = cli_xstrdup(v);
    int arch_line = r->line;
    long inputs;
    modelfile_head h = {0};
    int rc = modelfile_count(r, "inputs", 1, FEAT_MAX_COLS, &inputs);
    if (rc == 0)
        rc = modelfile_read_classes(r, &h);
    if (rc == 0) {
        /* Every weight takes at least 2 bytes ("0" and a space or line break): a
         * file cannot make us allocate more weights than its rest could hold. */
        size_t room = (size_t)(r->end - r->p) / 2;
        char aerr[SENTIO_ERR_LEN];
        if (model_init_max(m, arch, (int)inputs, h.n_classes, h.classes, h.feature_meta, room, aerr,
                           sizeof aerr) < 0) {
            r->line = arch_line;
            if (room < NN_MAX_PARAMS && strncmp(aerr, "more than", 9) == 0)
                rc = modelfile_fail(r,
                                    "arch: needs more weights than the rest of the file could "
                                    "hold, at most %zu",
                                    room);
            else
                rc = modelfile_fail(r, "arch: %s", aerr);
        }
    }
    free(arch);
    modelfile_head_free(&h);
    if (rc < 0)
        return -1;
    char *s = modelfile_read_rest(r, &m->head, (int)inputs);
    if (!s)
        return -1;
    if (strncmp(s, "params ", 7) != 0)
        return modelfile_fail(r, "expected 'params N', found '%.40s'", s);
    char *end;
    errno = 0;
    unsigned long long np = strtoull(s + 7, &end, 10);
    if (errno || end == s + 7 || *end || np != m->net.n_params)
        return modelfile_fail(r,
                              "'params %s' does not match the architecture, which has %zu "
                              "weights",
                              s + 7, m->net.n_params);
    size_t done = 0;
    while (done < m->net.n_params) {
        if (!(s = modelfile_next_line(r)))
            return modelfile_fail(r, "the file ends after %zu of %zu weights", done,
                                  m->net.n_params);
        size_t row = m->net.n_params - done < 8 ? m->net.n_params - done : 8;
        if (modelfile_floats(r, "weights", s, m->net.params + done, row) < 0)
            return -1;
        done += row;
    }
    if ((s = modelfile_next_line(r)))
        return modelfile_fail(r, "unexpected '%.40s' after the weights", s);
    return 0;
}

int model_load(nn_model *m, const char *path, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    int rc = modelfile_load(path, MODEL_MAGIC, MODEL_VERSION, parse_body, m, err, errlen);
    if (rc < 0)
        model_free(m);
    return rc;
}
