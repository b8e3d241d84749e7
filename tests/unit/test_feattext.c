/* The text, CSV and libsvm forms of feature streams (stream/feattext): values
 * that survive formatting and parsing bit for bit, records that survive the text
 * form, and the exact CSV and libsvm lines. */
#include "stream/feattext.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/sentio-feattext-XXXXXX";
static char path[256];

static char *slurp(FILE *fp)
{
    fflush(fp);
    long n = ftell(fp);
    char *s = calloc((size_t)n + 1, 1);
    rewind(fp);
    if (fread(s, 1, (size_t)n, fp) != (size_t)n)
        s[0] = '\0';
    return s;
}

static int same_bits(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

static void test_values(void)
{
    const float v[] = {0.0f,
                       -0.0f,
                       1.0f,
                       -1.5f,
                       3.14159274f,
                       1e-45f /* subnormal */,
                       1.17549435e-38f,
                       3.40282347e38f,
                       -3.40282347e38f,
                       0.1f,
                       123456.789f};
    int ok = 1;
    char buf[FEAT_VALUE_CHARS];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        float back;
        feat_format_value(buf, v[i]);
        ok &= feat_parse_value(buf, &back) == 0 && same_bits(back, v[i]);
    }
    CHECK(ok, "%.9g round-trips every float bit for bit, -0 and subnormals included");
    float back;
    feat_format_value(buf, NAN);
    CHECK(feat_parse_value(buf, &back) == 0 && isnan(back), "NaN round-trips");
    feat_format_value(buf, -INFINITY);
    CHECK(feat_parse_value(buf, &back) == 0 && isinf(back) && back < 0, "-inf round-trips");
    CHECK(feat_parse_value("1e39", &back) == -1, "1e39 overflows float: refused");
    CHECK(feat_parse_value("abc", &back) == -1 && feat_parse_value("", &back) == -1 &&
              feat_parse_value("1.5x", &back) == -1,
          "text that is not a whole number is refused");
}

static int same_record(const feat_record *a, const feat_record *b)
{
    if (strcmp(a->key, b->key) || strcmp(a->label, b->label) || strcmp(a->meta, b->meta) ||
        a->rows != b->rows || a->cols != b->cols)
        return 0;
    for (size_t i = 0; i < (size_t)a->rows * a->cols; i++)
        if (!same_bits(a->data[i], b->data[i]))
            return 0;
    return 1;
}

static void test_text_round_trip(void)
{
    feat_record in[3] = {{0}};
    const float m[6] = {1, -0.0f, 2.5f, 1e-40f, -7, 0.333333343f};
    feat_record_set(&in[0], "a.wav", "Positive", "sr=22050 pool=none", 2, 3, m);
    feat_record_set(&in[1], "b c.wav", "", "sr=22050 pool=none", 1, 1, m + 2);
    feat_record_set(&in[2], "d.wav", "Neutral", "other meta", 3, 2, m);
    FILE *fp = fopen(path, "w+");
    feat_text_writer w;
    feat_text_writer_init(&w, fp, true);
    int rc = 0;
    for (int i = 0; i < 3; i++)
        rc |= feat_text_write(&w, &in[i]);
    rc |= feat_text_writer_finish(&w);
    feat_text_writer_free(&w);
    fclose(fp);
    CHECK(rc == 0, "three records written as text");

    feat_text_reader r;
    feat_record out = {0};
    int same = feat_text_reader_open(&r, path) == 0;
    for (int i = 0; i < 3 && same; i++)
        same = feat_text_read(&r, &out) == 1 && same_record(&in[i], &out);
    CHECK(same, "read back: keys, labels, metadata, shapes and every value's bits");
    CHECK(feat_text_read(&r, &out) == 0, "then a clean end");
    feat_text_reader_close(&r);

    fp = fopen(path, "w");
    fputs("a.wav\tPositive\t0\t1\t2\na.wav\tPositive\t1\t1\n", fp);
    fclose(fp);
    feat_text_reader_open(&r, path);
    rc = feat_text_read(&r, &out);
    CHECK(rc == -1 && strstr(r.err, path) && strstr(r.err, "(line 2)"),
          "a short row: an error naming the file and the line");
    feat_text_reader_close(&r);
    feat_record_free(&out);
    for (int i = 0; i < 3; i++)
        feat_record_free(&in[i]);
}

static void test_csv(void)
{
    FILE *fp = tmpfile();
    feat_csv_writer w;
    feat_csv_writer_init(&w, fp);
    feat_record rec = {0};
    char err[SENTIO_ERR_LEN];
    feat_record_set(&rec, "a,b.wav", "Pos\"itive", "", 1, 2, (const float[]){0.5f, -2});
    int rc = feat_csv_write(&w, &rec, err, sizeof err);
    feat_record_set(&rec, "c.wav", "", "", 1, 2, (const float[]){1e-3f, 7});
    rc |= feat_csv_write(&w, &rec, err, sizeof err);
    char *text = slurp(fp);
    CHECK(rc == 0 && strcmp(text, "key,label,f1,f2\n\"a,b.wav\",\"Pos\"\"itive\",0.5,-2\n"
                                  "c.wav,,0.00100000005,7\n") == 0,
          "CSV: a header, RFC 4180 quoting, %.9g values");
    if (rc == 0 && strstr(text, "0.00100000005")) {
        float back;
        CHECK(feat_parse_value("0.00100000005", &back) == 0 && back == 1e-3f,
              "the CSV value parses back to the same float");
    }
    free(text);
    feat_record_set(&rec, "d.wav", "", "", 1, 3, (const float[]){1, 2, 3});
    CHECK(feat_csv_write(&w, &rec, err, sizeof err) == -1 &&
              strstr(err, "has 3 values, the first record has 2"),
          "CSV: a record of another width is refused");
    feat_record_set(&rec, "e.wav", "", "", 2, 1, (const float[]){1, 2});
    CHECK(feat_csv_write(&w, &rec, err, sizeof err) == -1 && strstr(err, "2 rows"),
          "CSV: a record of two rows is refused");
    feat_record_free(&rec);
    fclose(fp);
}

static void test_libsvm(void)
{
    FILE *fp = tmpfile();
    feat_libsvm_writer w;
    char err[SENTIO_ERR_LEN];
    CHECK(feat_libsvm_init(&w, fp, NULL, err, sizeof err) == 0,
          "libsvm writer without a class list");
    feat_record rec = {0};
    feat_record_set(&rec, "1.wav", "Positive", "", 1, 3, (const float[]){0.5f, 0, -1});
    int rc = feat_libsvm_write(&w, &rec, err, sizeof err);
    feat_record_set(&rec, "2.wav", "Negative", "", 2, 2, (const float[]){0, 0, 2, 0.25f});
    rc |= feat_libsvm_write(&w, &rec, err, sizeof err);
    feat_record_set(&rec, "3.wav", "", "", 1, 1, (const float[]){3});
    rc |= feat_libsvm_write(&w, &rec, err, sizeof err);
    rc |= feat_libsvm_finish(&w, err, sizeof err);
    char *text = slurp(fp);
    CHECK(rc == 0 && strcmp(text, "2 1:0.5 3:-1\n1\n1 1:2 2:0.25\n0 1:3\n") == 0,
          "libsvm: classes numbered by name (Negative 1, Positive 2), zeros left out, "
          "one line per row, 0 for no label");
    free(text);
    size_t n;
    const char **names = feat_libsvm_class_names(&w, &n);
    CHECK(n == 2 && strcmp(names[0], "Negative") == 0 && strcmp(names[1], "Positive") == 0,
          "the class names in label order");
    free(names);
    feat_libsvm_free(&w);
    fclose(fp);

    FILE *list = fopen(path, "w");
    fputs("Positive\nNegative\n", list);
    fclose(list);
    strmap classes = {0};
    CHECK(feat_libsvm_load_classes(path, &classes, err, sizeof err) == 0 && classes.n == 2,
          "a class list of two names");
    fp = tmpfile();
    feat_libsvm_init(&w, fp, &classes, err, sizeof err);
    feat_record_set(&rec, "1.wav", "Negative", "", 1, 1, (const float[]){1});
    rc = feat_libsvm_write(&w, &rec, err, sizeof err);
    rc |= feat_libsvm_finish(&w, err, sizeof err);
    text = slurp(fp);
    CHECK(rc == 0 && strcmp(text, "2 1:1\n") == 0,
          "with a class list, line k of the list is label k");
    free(text);
    feat_record_set(&rec, "2.wav", "Neutral", "", 1, 1, (const float[]){1});
    CHECK(feat_libsvm_write(&w, &rec, err, sizeof err) == -1 &&
              strstr(err, "not in the class list"),
          "a label outside the class list is refused");
    feat_libsvm_free(&w);
    fclose(fp);

    list = fopen(path, "w");
    fputs("A\nB\nA\n", list);
    fclose(list);
    strmap dup = {0};
    CHECK(feat_libsvm_load_classes(path, &dup, err, sizeof err) == -1 &&
              strstr(err, "a class named twice (line 3)"),
          "a class named twice: the file and the line");
    feat_record_free(&rec);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/t.txt", dir);
    test_values();
    test_text_round_trip();
    test_csv();
    test_libsvm();
    unlink(path);
    rmdir(dir);
    return unit_done();
}
