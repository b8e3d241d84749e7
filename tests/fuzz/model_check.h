/* model_check.h - what nnfit(1) promises of a model file that loads: shared by
 * the model harnesses (checksum as given, and checksum recomputed). */
#ifndef SENTIO_FUZZ_MODEL_CHECK_H
#define SENTIO_FUZZ_MODEL_CHECK_H

#include "fuzz.h"

#include "nn/model.h"

#include <math.h>

/* path: the input as a file. A rejected model gives -1 and "what (line N)" with
 * N a line of the file (N = lines + 1 when it ends early); an accepted one
 * has no more weights than its bytes could hold (2 each), predicts
 * probabilities in [0, 1] that sum to 1, and writing it, loading that and
 * writing it again gives the same bytes. */
static inline void model_check(const char *path, const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    nn_model m;
    char err[SENTIO_ERR_LEN] = "";
    if (model_load(&m, path, err, sizeof err) != 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "(line", 0, lines), "rejected without '(line N)' (N in [0, %llu]): %s",
                    lines, err);
        FUZZ_ASSERT(m.net.params == NULL && m.head.classes == NULL, "a rejected model is not left empty");
        return;
    }
    FUZZ_ASSERT(m.n_inputs >= 1 && m.head.n_classes >= 2, "%d inputs, %d classes", m.n_inputs, m.head.n_classes);
    FUZZ_ASSERT(m.net.n_params <= size / 2, "%zu weights from a file of %zu bytes", m.net.n_params, size);
    for (int i = 0; i < m.head.n_classes; i++) {
        FUZZ_ASSERT(m.head.classes[i][0], "class %d has an empty name", i);
        for (int j = 0; j < i; j++)
            FUZZ_ASSERT(strcmp(m.head.classes[i], m.head.classes[j]) != 0, "class '%s' twice", m.head.classes[i]);
    }
    for (size_t i = 0; i < m.net.n_params; i++)
        FUZZ_ASSERT(isfinite(m.net.params[i]), "weight %zu is not finite", i);

    /* One prediction on a fixed input. */
    float *x = malloc((size_t)m.n_inputs * sizeof *x);
    double *p = malloc((size_t)m.head.n_classes * sizeof *p);
    for (int i = 0; i < m.n_inputs; i++)
        x[i] = (float)(i % 7) - 3.0f;
    model_predict(&m, x, 1, p);
    double sum = 0;
    int finite = 1;
    for (int k = 0; k < m.head.n_classes; k++) {
        finite &= isfinite(p[k]);
        sum += p[k];
    }
    /* Finite weights may still overflow float32 on the way (a garbage model):
     * the probabilities are then NaN, never outside [0, 1]. */
    if (finite) {
        for (int k = 0; k < m.head.n_classes; k++)
            FUZZ_ASSERT(p[k] >= 0 && p[k] <= 1, "p[%d] = %g", k, p[k]);
        FUZZ_ASSERT(fabs(sum - 1) < 1e-4, "probabilities sum to %.9g", sum);
    }
    free(x);
    free(p);

    /* write -> load -> write: the same bytes. */
    fuzz_mem a, b;
    fuzz_mem_open(&a);
    char sha_a[65], sha_b[65];
    FUZZ_ASSERT(model_write(&m, a.fp, sha_a, NULL) == 0, "an accepted model cannot be written");
    fuzz_mem_close(&a);
    model_free(&m);
    const char *again = fuzz_file((const uint8_t *)a.buf, a.len, ".again");
    FUZZ_ASSERT(model_load(&m, again, err, sizeof err) == 0, "the model written back does not load: %s", err);
    fuzz_mem_open(&b);
    FUZZ_ASSERT(model_write(&m, b.fp, sha_b, NULL) == 0, "the reloaded model cannot be written");
    fuzz_mem_close(&b);
    FUZZ_ASSERT(a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0 && strcmp(sha_a, sha_b) == 0,
                "write -> load -> write changed the file (%zu -> %zu bytes)", a.len, b.len);
    unlink(again);
    fuzz_mem_free(&a);
    fuzz_mem_free(&b);
    model_free(&m);
}

#endif
