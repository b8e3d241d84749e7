/* fuzz_svmmodel - svmfit's model file loader (svm_classifier_load; nnpredict -m,
 * man 1 svmfit), the body re-signed so that mutations reach the fields and the
 * embedded libsvm model rather than stop at the checksum. Properties: a rejected file
 * gives -1 and "what (line N)" with N a line of the file (or a read error); an
 * accepted one has two or more classes, at least one input, and predicts
 * probabilities in [0, 1] that sum to 1 for a fixed input. */
#include "fuzz.h"

#include "base/sha256.h"
#include "svm/svmmodel.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_mem body;
    fuzz_mem_open(&body);
    fwrite(data, 1, size, body.fp);
    if (size == 0 || data[size - 1] != '\n')
        fputc('\n', body.fp);
    fuzz_mem_close(&body);
    char hex[65];
    sha256_buffer_hex(body.buf, body.len, hex);
    fuzz_mem whole;
    fuzz_mem_open(&whole);
    fwrite(body.buf, 1, body.len, whole.fp);
    fprintf(whole.fp, "sha256 %s\n", hex);
    fuzz_mem_close(&whole);
    unsigned long long lines = fuzz_lines(whole.buf, whole.len);
    const char *path = fuzz_file((const uint8_t *)whole.buf, whole.len, ".svm");
    svm_classifier c;
    char err[SENTIO_ERR_LEN] = "";
    if (svm_classifier_load(&c, path, err, sizeof err) != 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "(line", 0, lines) || strstr(err, "bytes"),
                    "rejected without '(line N)' (N in [0, %llu]): %s", lines, err);
    } else {
        FUZZ_ASSERT(c.n_inputs >= 1 && c.head.n_classes >= 2, "%d inputs, %d classes", c.n_inputs,
                    c.head.n_classes);
        float *x = malloc((size_t)c.n_inputs * sizeof *x);
        double *p = malloc((size_t)c.head.n_classes * sizeof *p);
        for (int i = 0; i < c.n_inputs; i++)
            x[i] = (float)(i % 7) - 3.0f;
        svm_classifier_predict(&c, x, p);
        double sum = 0;
        int finite = 1;
        for (int k = 0; k < c.head.n_classes; k++) {
            finite &= isfinite(p[k]);
            sum += p[k];
        }
        if (finite) {
            for (int k = 0; k < c.head.n_classes; k++)
                FUZZ_ASSERT(p[k] >= 0 && p[k] <= 1, "p[%d] = %g", k, p[k]);
            FUZZ_ASSERT(fabs(sum - 1) < 1e-4, "probabilities sum to %.9g", sum);
        }
        free(x);
        free(p);
        svm_classifier_free(&c);
    }
    fuzz_mem_free(&whole);
    fuzz_mem_free(&body);
    return 0;
}
