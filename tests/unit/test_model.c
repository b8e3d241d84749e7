/* The model file: exact round trip, and damaged, truncated, newer or malformed
 * files refused with the line named. */
#include "base/sha256.h"
#include "nn/model.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char path[64];

static void write_text(const char *text, size_t n)
{
    FILE *fp = fopen(path, "wb");
    fwrite(text, 1, n, fp);
    fclose(fp);
}

static char *read_text(size_t *n)
{
    FILE *fp = fopen(path, "rb");
    fseek(fp, 0, SEEK_END);
    *n = (size_t)ftell(fp);
    rewind(fp);
    char *b = malloc(*n + 1);
    if (fread(b, 1, *n, fp) != *n)
        *n = 0;
    b[*n] = '\0';
    fclose(fp);
    return b;
}

/* Replaces the checksum line so that an edited body passes the checksum. */
static void reseal(char *text, size_t *n)
{
    char *last = strstr(text, "\nsha256 ") + 1;
    char hex[65];
    sha256_buffer_hex(text, (size_t)(last - text), hex);
    *n = (size_t)(last - text) + (size_t)sprintf(last, "sha256 %s\n", hex);
}

static void expect_error(const char *what, const char *needle)
{
    nn_model m;
    char err[512] = "";
    int rc = model_load(&m, path, err, sizeof err);
    if (!CHECK(rc < 0 && strstr(err, needle), what))
        printf("#   message: %s\n", rc < 0 ? err : "(loaded)");
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/test_model_%ld.nn", (long)getpid());
    char *classes[] = {"Negative", "Neu tral", "Positive"};
    nn_model m;
    char err[512];
    CHECK(model_init(&m, "cnn", 10, 3, classes, "sr=22050 pool=mean", err, sizeof err) == 0,
          "a CNN model for 10 inputs");
    /* Awkward values: negative zero, subnormals, extremes, many digits. */
    for (size_t i = 0; i < m.net.n_params; ++i)
        m.net.params[i] = (float)sin((double)i * 1.7) * powf(10.0f, (float)(i % 7) - 3.0f);
    m.net.params[0] = -0.0f;
    m.net.params[1] = 1.4e-45f;
    m.net.params[2] = 3.4028235e38f;
    m.net.params[3] = 1.17549435e-38f;
    m.head.standardize = true;
    m.head.mean = malloc(10 * sizeof(float));
    m.head.std = malloc(10 * sizeof(float));
    for (int i = 0; i < 10; ++i) {
        m.head.mean[i] = (float)i / 3.0f - 400.0f;
        m.head.std[i] = 1.0f / (float)(i + 7);
    }
    model_add_option(&m, "epochs", "100");
    model_add_result(&m, "best_epoch", "27");
    FILE *fp = fopen(path, "wb");
    char hex[65];
    size_t bytes;
    CHECK(model_write(&m, fp, hex, &bytes) == 0, "model written");
    fclose(fp);
    size_t n;
    char *text = read_text(&n);
    char want[65];
    sha256_buffer_hex(text, n, want);
    CHECK(bytes == n && strcmp(hex, want) == 0, "model_write reports the file's size and sha256");

    nn_model r;
    int rc = model_load(&r, path, err, sizeof err);
    if (!CHECK(rc == 0, "the model loads"))
        printf("#   %s\n", err);
    if (rc == 0) {
        CHECK(r.net.n_params == m.net.n_params &&
                  memcmp(r.net.params, m.net.params, m.net.n_params * sizeof(float)) == 0,
              "every weight reads back with the same bits");
        CHECK(memcmp(r.head.mean, m.head.mean, 10 * sizeof(float)) == 0 &&
                  memcmp(r.head.std, m.head.std, 10 * sizeof(float)) == 0 && r.head.standardize,
              "standardisation reads back exactly");
        CHECK(r.head.n_classes == 3 && strcmp(r.head.classes[1], "Neu tral") == 0 &&
                  strcmp(r.head.feature_meta, "sr=22050 pool=mean") == 0 &&
                  strcmp(r.arch, ARCH_CNN) == 0,
              "classes, metadata and architecture read back");
        CHECK(r.head.n_options == 1 && strcmp(r.head.options[0].value, "100") == 0 &&
                  r.head.n_results == 1 && strcmp(r.head.results[0].key, "best_epoch") == 0,
              "options and results read back");
        FILE *again = tmpfile();
        char hex2[65];
        model_write(&r, again, hex2, NULL);
        fclose(again);
        CHECK(strcmp(hex, hex2) == 0, "a loaded model writes the same bytes");
        model_free(&r);
    }

    /* Damage of every kind. */
    char *copy = malloc(n + 200);
    memcpy(copy, text, n + 1);
    char *w = strstr(copy, "\nparams ");
    w = strchr(w + 1, '\n') + 1;
    w[0] = w[0] == '1' ? '2' : '1';
    write_text(copy, n);
    expect_error("a changed weight fails the checksum", "checksum mismatch");

    write_text(text, n / 2);
    expect_error("a file cut in a line is truncated", "truncated");
    size_t cut = (size_t)(strstr(text, "\nsha256 ") - text) + 1;
    write_text(text, cut);
    expect_error("a file without its checksum line is truncated", "truncated");
    write_text(text, 0);
    expect_error("an empty file is not a model",
                 "not a sentio model file (it does not start with '" MODEL_MAGIC "') (line 1)");
    write_text("hello\n", 6);
    expect_error("text is not a model", "not a sentio model");

    memcpy(copy, text, n + 1);
    copy[strlen(MODEL_MAGIC) + 1] = '2';
    write_text(copy, n);
    expect_error(
        "a newer format version is refused as such",
        "model format version 2 is newer than this sentio reads (1): upgrade sentio (line 1)");

    memcpy(copy, text, n + 1);
    size_t cn = n;
    char *inputs = strstr(copy, "\ninputs 10\n");
    memcpy(inputs, "\ninputs 1x\n", 11);
    reseal(copy, &cn);
    write_text(copy, cn);
    int line = 1;
    for (char *p = copy; p <= inputs; ++p)
        line += *p == '\n';
    char needle[96];
    snprintf(needle, sizeof needle, "'inputs' must be an integer in 1..65536, not '1x' (line %d)",
             line);
    expect_error("a malformed line is named by number", needle);

    memcpy(copy, text, n + 1);
    cn = n;
    /* 11 inputs: the same weights (maxpool floors 9 and 8 alike), one mean too few. */
    memcpy(strstr(copy, "\ninputs 10\n"), "\ninputs 11\n", 11);
    reseal(copy, &cn);
    write_text(copy, cn);
    expect_error("standardisation that does not fit the inputs is refused",
                 "mean: 10 values where 11 were expected");

    /* A few bytes must not make the loader allocate 2^28 weights (2 GiB with
     * their transpose): the architecture may not need more than the rest of
     * the file could hold. */
    static const char greedy[] = "sentio-nnet 1\narch dense:65536,dense:4096\ninputs 65536\n"
                                 "classes 2\nclass a\nclass b\nfeature_meta \nstandardize 0\n"
                                 "params 0\n";
    char big[512];
    strcpy(big, greedy);
    cn = strlen(big);
    strcpy(big + cn, "sha256 x\n");
    reseal(big, &cn);
    write_text(big, cn);
    expect_error(
        "an architecture needing more weights than the file could hold is refused",
        "arch: needs more weights than the rest of the file could hold, at most 11 (line 2)");

    memcpy(copy, text, n + 1);
    cn = n;
    memcpy(strstr(copy, "\nparams ") + 8, "9", 1);
    reseal(copy, &cn);
    write_text(copy, cn);
    expect_error("a weight count that does not fit the architecture is refused", "does not match");

    memcpy(copy, text, n + 1);
    cn = n;
    memcpy(strstr(copy, "arch conv:32:3"), "arch conv:32:x", 14);
    reseal(copy, &cn);
    write_text(copy, cn);
    expect_error("a bad architecture is refused", "arch: bad term 'conv:32:x'");

    memcpy(copy, text, n + 1);
    cn = n;
    char *std = strstr(copy, "\nstd ") + 5;
    memcpy(std, "nan ", 4);
    reseal(copy, &cn);
    write_text(copy, cn);
    expect_error("non-finite numbers are refused", "not");

    /* A class name with a TAB would give nnpredict's TSV more columns than its header. */
    memcpy(copy, text, n + 1);
    cn = n;
    memcpy(strstr(copy, "\nclass Neu tral\n"), "\nclass Neu\ttral\n", 16);
    reseal(copy, &cn);
    write_text(copy, cn);
    expect_error("a class name holding a TAB is refused",
                 "class name with a TAB or control character");

    unlink(path);
    expect_error("a missing file says so", "No such file or directory");
    free(copy);
    free(text);
    model_free(&m);
    return unit_done();
}
