/* A labelled stream in memory (stream/featset): records of several files in
 * order, classes in byte order, labels encoded against them, and every kind of
 * record a training set refuses, named by file and byte. */
#include "stream/featset.h"
#include "stream/featstream.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/sentio-featset-XXXXXX";

/* Writes records (key, label, meta, rows x cols from data) to dir/NAME. */
typedef struct {
    const char *key, *label, *meta;
    uint32_t rows, cols;
    float data[4];
} rec_spec;

static char *write_stream(const char *name, const rec_spec *r, size_t n)
{
    static char paths[4][320];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    feat_record rec = {0};
    for (size_t i = 0; i < n; i++) {
        feat_record_set(&rec, r[i].key, r[i].label, r[i].meta, r[i].rows, r[i].cols, r[i].data);
        feat_write(fp, &rec);
    }
    feat_record_free(&rec);
    fclose(fp);
    return path;
}

static void test_read(void)
{
    const rec_spec a[] = {{"1.wav", "Positive", "m", 1, 3, {1, 2, 3}},
                          {"2.wav", "Negative", "m", 1, 3, {4, 5, 6}}};
    const rec_spec b[] = {{"3.wav", "Neutral", "m", 1, 3, {7, 8, 9}},
                          {"4.wav", "Positive", "m", 1, 3, {-1, -0.5f, 0}}};
    char *files[] = {write_stream("a.feat", a, 2), write_stream("b.feat", b, 2)};
    featset s;
    char err[SENTIO_ERR_LEN];
    sha256_ctx h;
    sha256_init(&h);
    CHECK(featset_read(&s, 2, files, &h, err, sizeof err) == 0, "two files read");
    CHECK(s.n == 4 && s.cols == 3 && strcmp(s.meta, "m") == 0, "four records of three values");
    CHECK(s.x[0] == 1 && s.x[5] == 6 && s.x[6] == 7 && s.x[11] == 0,
          "values in file and record order");
    CHECK(strcmp(s.labels[1], "Negative") == 0 && strcmp(s.labels[3], "Positive") == 0,
          "labels kept");

    char **classes;
    int k = featset_classes(&s, &classes);
    CHECK(k == 3 && strcmp(classes[0], "Negative") == 0 && strcmp(classes[1], "Neutral") == 0 &&
              strcmp(classes[2], "Positive") == 0,
          "the distinct labels in byte order");
    int y[4];
    CHECK(featset_encode(&s, classes, k, y, err, sizeof err) == 0 && y[0] == 2 && y[1] == 0 &&
              y[2] == 1 && y[3] == 2,
          "labels encoded as their class index");
    char *two[] = {"Negative", "Positive"};
    CHECK(featset_encode(&s, two, 2, y, err, sizeof err) == -1 &&
              strstr(err, "record 3 has label 'Neutral'"),
          "a label outside the classes is named");
    for (int c = 0; c < k; c++)
        free(classes[c]);
    free(classes);
    featset_free(&s);
}

static void expect_refused(const char *what, const rec_spec *r, size_t n, const char *needle)
{
    char *files[] = {write_stream("bad.feat", r, n)};
    featset s;
    char err[SENTIO_ERR_LEN] = "";
    int rc = featset_read(&s, 1, files, NULL, err, sizeof err);
    if (!CHECK(rc == -1 && strstr(err, files[0]) && strstr(err, needle), what))
        printf("#   message: %s\n", err);
}

/* The bytes feat_write makes of one record: where the second record starts. */
static long record_bytes(const rec_spec *r)
{
    FILE *fp = tmpfile();
    feat_record rec = {0};
    feat_record_set(&rec, r->key, r->label, r->meta, r->rows, r->cols, r->data);
    feat_write(fp, &rec);
    long n = ftell(fp);
    feat_record_free(&rec);
    fclose(fp);
    return n;
}

static void test_refused(void)
{
    const rec_spec unlabelled[] = {{"1.wav", "A", "m", 1, 2, {1, 2}},
                                   {"2.wav", "", "m", 1, 2, {1, 2}}};
    char second[32];
    snprintf(second, sizeof second, "(byte %ld)", record_bytes(&unlabelled[0]));
    expect_refused("an unlabelled record, at the byte where it starts", unlabelled, 2, second);
    const rec_spec rows[] = {{"1.wav", "A", "m", 2, 2, {1, 2, 3, 4}}};
    expect_refused("a record of two rows", rows, 1, "(byte 0)");
    const rec_spec width[] = {{"1.wav", "A", "m", 1, 2, {1, 2}},
                              {"2.wav", "A", "m", 1, 3, {1, 2, 3}}};
    expect_refused("a record of another width", width, 2, second);
    const rec_spec meta[] = {{"1.wav", "A", "m", 1, 2, {1, 2}}, {"2.wav", "A", "n", 1, 2, {1, 2}}};
    expect_refused("a record of other metadata", meta, 2, "metadata 'n' where the first had 'm'");
    const rec_spec nan[] = {{"1.wav", "A", "m", 1, 2, {1, NAN}}};
    expect_refused("a value that is not finite", nan, 1, "value 2 is not finite (byte 0)");
    expect_refused("no records", NULL, 0, "no records");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_read();
    test_refused();
    char path[320];
    const char *names[] = {"a.feat", "b.feat", "bad.feat"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return unit_done();
}
