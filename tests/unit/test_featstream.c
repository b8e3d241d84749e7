/* Unit tests of common/featstream.c: round trips, concatenation, the exact
 * byte layout, and hostile input (bad magic/version/flags, every truncation,
 * absurd sizes, forbidden characters, random mutations). */
#include "stream/featstream.h"
#include "unit.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char tmp_path[64];

/* Writes len bytes to the scratch file and opens a reader on it. */
static void open_bytes(feat_reader *r, const unsigned char *buf, size_t len)
{
    FILE *fp = fopen(tmp_path, "wb");
    if (!fp || (len && fwrite(buf, 1, len, fp) != len) || fclose(fp) != 0) {
        perror(tmp_path);
        exit(2);
    }
    if (feat_reader_open(r, tmp_path) != 0) {
        fprintf(stderr, "%s\n", r->err);
        exit(2);
    }
}

/* The bytes feat_write gives for recs[0..n-1]. */
static unsigned char *write_records(const feat_record *recs, size_t n, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    for (size_t i = 0; i < n; i++)
        if (feat_write(fp, &recs[i]) != 0) {
            perror("feat_write");
            exit(2);
        }
    fclose(fp);
    return (unsigned char *)buf;
}

static bool same_record(const feat_record *a, const feat_record *b)
{
    if (strcmp(a->key, b->key) || strcmp(a->label ? a->label : "", b->label) ||
        strcmp(a->meta ? a->meta : "", b->meta) || a->rows != b->rows || a->cols != b->cols)
        return false;
    size_t n = (size_t)a->rows * a->cols;
    return n == 0 || memcmp(a->data, b->data, n * sizeof(float)) == 0; /* bitwise: NaN, -0 */
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Reads the whole of buf: returns the last feat_read result and counts records. */
static int read_all(const unsigned char *buf, size_t len, size_t *records, char *err, size_t errlen,
                    size_t *max_cap)
{
    feat_reader r;
    feat_record rec = {0};
    open_bytes(&r, buf, len);
    int rc;
    *records = 0;
    if (max_cap)
        *max_cap = 0;
    while ((rc = feat_read(&r, &rec)) == 1) {
        ++*records;
        if (feat_record_check(&rec) != NULL)
            rc = 99; /* the reader must only return writable records */
        if (max_cap && rec.data_cap > *max_cap)
            *max_cap = rec.data_cap;
        if (rc == 99)
            break;
    }
    if (max_cap && rec.data_cap > *max_cap)
        *max_cap = rec.data_cap;
    snprintf(err, errlen, "%s", rc < 0 ? r.err : "");
    feat_record_free(&rec);
    feat_reader_close(&r);
    return rc;
}

static feat_record samples[4];

static void make_samples(void)
{
    static const float one[3] = {1.5f, -0.0f, 3.25e-7f};
    float multi[6] = {1, 2, 3, 4, 5, 6};
    uint32_t nan_bits = 0x7fa00001u; /* a NaN with a payload survives bit for bit */
    memcpy(&multi[4], &nan_bits, 4);
    feat_record_set(&samples[0], "a.wav", "", "", 1, 3, one);
    feat_record_set(&samples[1], "dir/b c.wav", "Positive", "sr=22050 n_mfcc=40 pool=none", 0, 40,
                    NULL);
    feat_record_set(&samples[2], "ünï/c.wav", "Negative", "x\ty", 3, 2, multi);
    feat_record_set(&samples[3], "d", "Neutral", "", 0, 0, NULL);
}

static void test_round_trip(void)
{
    size_t len;
    unsigned char *buf = write_records(samples, 4, &len);
    feat_reader r;
    feat_record rec = {0};
    open_bytes(&r, buf, len);
    for (int i = 0; i < 4; i++) {
        char what[64];
        snprintf(what, sizeof what, "round trip of sample record %d", i);
        CHECK(feat_read(&r, &rec) == 1 && same_record(&samples[i], &rec), what);
    }
    CHECK(feat_read(&r, &rec) == 0, "clean end after the last record");
    CHECK(r.offset == len && r.records == 4, "offset and record count at the end");
    feat_reader_close(&r);
    feat_record_free(&rec);
    free(buf);
}

static void test_layout_and_determinism(void)
{
    feat_record rec = {0};
    const float v = 1.0f;
    feat_record_set(&rec, "k", "L", "m", 1, 1, &v);
    size_t len, len2;
    unsigned char *a = write_records(&rec, 1, &len);
    unsigned char *b = write_records(&rec, 1, &len2);
    static const unsigned char expected[] = {
        'S', 'N', 'T', 'F', 1, 0, 0, 0, 1, 0, 0,   0,   1,   0,    0,    0,    1,   0,
        0,   0,   1,   0,   0, 0, 1, 0, 0, 0, 'k', 'L', 'm', 0x00, 0x00, 0x80, 0x3f};
    CHECK(len == sizeof expected && memcmp(a, expected, len) == 0,
          "the bytes of a 1x1 record follow the documented layout");
    CHECK(len == len2 && memcmp(a, b, len) == 0, "writing twice gives the same bytes");
    free(a);
    free(b);
    feat_record_free(&rec);
}

static void test_concatenation(void)
{
    size_t la, lb;
    unsigned char *a = write_records(samples, 2, &la);
    unsigned char *b = write_records(samples + 2, 2, &lb);
    unsigned char *ab = malloc(la + lb);
    memcpy(ab, a, la);
    memcpy(ab + la, b, lb);
    feat_reader r;
    feat_record rec = {0};
    open_bytes(&r, ab, la + lb);
    bool ok = true;
    for (int i = 0; i < 4; i++)
        ok = ok && feat_read(&r, &rec) == 1 && same_record(&samples[i], &rec);
    CHECK(ok && feat_read(&r, &rec) == 0, "cat of two streams reads as one stream");
    feat_reader_close(&r);

    /* The same through feat_input, with the two halves as two files. */
    char pa[80], pb[80];
    snprintf(pa, sizeof pa, "%s.a", tmp_path);
    snprintf(pb, sizeof pb, "%s.b", tmp_path);
    FILE *fa = fopen(pa, "wb"), *fb = fopen(pb, "wb");
    fwrite(a, 1, la, fa);
    fwrite(b, 1, lb, fb);
    fclose(fa);
    fclose(fb);
    char *files[] = {pa, pb, "/nonexistent/sentio.feat"};
    feat_input in;
    feat_input_init(&in, 3, files);
    ok = true;
    for (int i = 0; i < 4; i++) {
        ok = ok && feat_input_next(&in, &rec) == 1 && same_record(&samples[i], &rec);
        if (i == 1)
            ok = ok && strcmp(feat_input_name(&in), pa) == 0;
    }
    CHECK(ok, "feat_input reads two files in turn");
    CHECK(feat_input_next(&in, &rec) == -1 && strstr(in.reader.err, "/nonexistent/sentio.feat"),
          "feat_input fails on a missing file, naming it");
    feat_input_close(&in);
    unlink(pa);
    unlink(pb);
    feat_record_free(&rec);
    free(a);
    free(b);
    free(ab);
}

static void expect_error(const unsigned char *buf, size_t len, const char *needle, const char *at,
                         const char *what)
{
    size_t records;
    char err[SENTIO_ERR_LEN];
    int rc = read_all(buf, len, &records, err, sizeof err, NULL);
    if (!CHECK(rc == -1 && strstr(err, needle) && strstr(err, at), what))
        printf("#   rc %d, error '%s', wanted '%s' and '%s'\n", rc, err, needle, at);
}

static void test_bad_headers(void)
{
    size_t len;
    unsigned char *buf = write_records(samples, 3, &len);
    size_t first;
    free(write_records(samples, 1, &first));

    unsigned char *b = malloc(len);
    memcpy(b, buf, len);
    b[0] = 'X';
    expect_error(b, len, "bad magic", "(byte 0)", "wrong magic is rejected at byte 0");
    memcpy(b, buf, len);
    b[first + 1] = 'X';
    char at[32];
    snprintf(at, sizeof at, "(byte %zu)", first);
    expect_error(b, len, "bad magic", at, "wrong magic in the second record names its offset");
    memcpy(b, buf, len);
    b[4] = 2;
    expect_error(b, len, "unsupported stream version 2", "(byte 4)", "unknown version is rejected");
    memcpy(b, buf, len);
    b[7] = 0x80;
    expect_error(b, len, "unknown flags 0x8000", "(byte 6)", "nonzero flags are rejected");
    memcpy(b, buf, len);
    put32(b + 8, 0);
    expect_error(b, len, "bad key length 0", "(byte 8)", "an empty key is rejected");
    memcpy(b, buf, len);
    put32(b + 8, FEAT_MAX_KEY + 1);
    expect_error(b, len, "bad key length", "(byte 8)", "a key length above the limit is rejected");
    memcpy(b, buf, len);
    put32(b + 12, 0xffffffffu);
    expect_error(b, len, "bad label length", "(byte 12)", "an absurd label length is rejected");
    memcpy(b, buf, len);
    put32(b + 16, FEAT_MAX_META + 1);
    expect_error(b, len, "bad metadata length", "(byte 16)",
                 "an absurd metadata length is rejected");
    memcpy(b, buf, len);
    put32(b + 20, FEAT_MAX_ROWS + 1);
    expect_error(b, len, "absurd matrix size", "(byte 20)", "rows above the limit are rejected");
    memcpy(b, buf, len);
    put32(b + 24, FEAT_MAX_COLS + 1);
    expect_error(b, len, "absurd matrix size", "(byte 20)", "cols above the limit are rejected");
    memcpy(b, buf, len);
    put32(b + 20, FEAT_MAX_ROWS);
    put32(b + 24, FEAT_MAX_COLS);
    expect_error(b, len, "absurd matrix size", "(byte 20)",
                 "rows*cols above the limit is rejected though each is within its own");
    free(b);
    free(buf);
}

/* A lying header: 2^28 values claimed (the limit, so allowed) in a file of a
 * few bytes must fail as truncated without allocating the claimed 1 GiB. */
static void test_absurd_claim(void)
{
    unsigned char b[FEAT_HEADER_BYTES + 1 + 16];
    memset(b, 0, sizeof b);
    memcpy(b, FEAT_MAGIC, 4);
    b[4] = 1;
    put32(b + 8, 1);
    put32(b + 20, FEAT_MAX_VALUES / 16);
    put32(b + 24, 16);
    b[FEAT_HEADER_BYTES] = 'k';
    size_t records, cap;
    char err[SENTIO_ERR_LEN];
    int rc = read_all(b, sizeof b, &records, err, sizeof err, &cap);
    CHECK(rc == -1 && strstr(err, "truncated") && strstr(err, "(byte 45)"),
          "a huge claimed matrix in a tiny file fails as truncated at its end");
    if (!CHECK(cap <= (1u << 20), "and the reader did not allocate the claimed size"))
        printf("#   data_cap %zu values\n", cap);
}

/* Rows of no values cost no bytes: 29 bytes claiming 2^24 of them would make
 * featdump print 2^24 lines. The reader refuses them where the rows are given,
 * and the writer never produces them (man 5 featstream, RESOURCE BOUNDS). */
static void test_rows_without_columns(void)
{
    unsigned char b[FEAT_HEADER_BYTES + 1];
    memset(b, 0, sizeof b);
    memcpy(b, FEAT_MAGIC, 4);
    b[4] = 1;
    put32(b + 8, 1);
    put32(b + 20, FEAT_MAX_ROWS);
    b[FEAT_HEADER_BYTES] = 'k';
    expect_error(b, sizeof b, "16777216 rows of 0 columns", "(byte 20)",
                 "a 29-byte record of 2^24 rows x 0 columns is rejected at its row count");
    put32(b + 20, 1);
    expect_error(b, sizeof b, "1 row of 0 columns", "(byte 20)", "even a single row of no values");
    feat_record rec = {0};
    feat_record_set(&rec, "k", "", "", 2, 0, NULL);
    FILE *fp = fopen("/dev/null", "wb");
    errno = 0;
    CHECK(feat_write(fp, &rec) == -1 && errno == EINVAL, "the writer refuses rows of no values");
    fclose(fp);
    feat_record_set(&rec, "k", "", "", 0, 0, NULL);
    CHECK(feat_record_check(&rec) == NULL, "a record of 0 rows x 0 columns stays valid");
    feat_record_free(&rec);
}

static void test_every_truncation(void)
{
    size_t len, first;
    unsigned char *buf = write_records(samples + 1, 2, &len); /* 0-row record, then 3x2 */
    free(write_records(samples + 1, 1, &first));
    int bad = 0;
    for (size_t cut = 0; cut < len; cut++) {
        size_t records;
        char err[SENTIO_ERR_LEN], at[32];
        int rc = read_all(buf, cut, &records, err, sizeof err, NULL);
        snprintf(at, sizeof at, "(byte %zu)", cut);
        bool ok;
        if (cut == 0 || cut == first)
            ok = rc == 0 && records == (cut == first);
        else
            ok = rc == -1 && records == (cut > first) && strstr(err, "truncated") &&
                 strstr(err, at) && strstr(err, tmp_path) == err;
        if (!ok && bad++ < 5)
            printf("#   cut %zu: rc %d, %zu records, '%s'\n", cut, rc, records, err);
    }
    CHECK(bad == 0, "every prefix of a two-record stream ends cleanly at a boundary, or fails as "
                    "truncated at the byte where it was cut");
    free(buf);
}

static void raw_record(unsigned char *b, size_t *len, const char *key, size_t klen,
                       const char *label, size_t llen, const char *meta, size_t mlen)
{
    memset(b, 0, FEAT_HEADER_BYTES);
    memcpy(b, FEAT_MAGIC, 4);
    b[4] = 1;
    put32(b + 8, (uint32_t)klen);
    put32(b + 12, (uint32_t)llen);
    put32(b + 16, (uint32_t)mlen);
    memcpy(b + 28, key, klen);
    memcpy(b + 28 + klen, label, llen);
    memcpy(b + 28 + klen + llen, meta, mlen);
    *len = 28 + klen + llen + mlen;
}

static void test_forbidden_characters(void)
{
    unsigned char b[128];
    size_t len, records;
    char err[SENTIO_ERR_LEN];
    raw_record(b, &len, "a\tb", 3, "", 0, "", 0);
    expect_error(b, len, "key contains a TAB", "(byte 28)", "a TAB in a key is rejected");
    raw_record(b, &len, "a\nb", 3, "", 0, "", 0);
    expect_error(b, len, "key contains a line-break", "(byte ", "a LF in a key is rejected");
    raw_record(b, &len, "a\rb", 3, "", 0, "", 0);
    expect_error(b, len, "line-break", "(byte ", "a CR in a key is rejected");
    raw_record(b, &len, "a\0b", 3, "", 0, "", 0);
    expect_error(b, len, "key contains a NUL", "(byte ", "a NUL in a key is rejected");
    raw_record(b, &len, "k", 1, "P\tQ", 3, "", 0);
    expect_error(b, len, "label contains a TAB", "(byte ", "a TAB in a label is rejected");
    raw_record(b, &len, "k", 1, "", 0, "a\nb", 3);
    expect_error(b, len, "metadata contains a line-break", "(byte ",
                 "a LF in metadata is rejected");
    raw_record(b, &len, "k", 1, "", 0, "a\tb", 3);
    CHECK(read_all(b, len, &records, err, sizeof err, NULL) == 0 && records == 1,
          "a TAB in metadata is allowed");

    feat_record rec = {0};
    FILE *null = fopen("/dev/null", "wb");
    const char *bad_keys[] = {"", "a\tb", "a\nb", "a\rb"};
    int refused = 0;
    for (int i = 0; i < 4; i++) {
        feat_record_set(&rec, bad_keys[i], "", "", 0, 0, NULL);
        errno = 0;
        refused += feat_write(null, &rec) == -1 && errno == EINVAL;
    }
    CHECK(refused == 4, "feat_write refuses empty keys and keys with TAB, CR or LF");
    feat_record_set(&rec, "k", "a\tb", "", 0, 0, NULL);
    CHECK(feat_write(null, &rec) == -1 && errno == EINVAL, "feat_write refuses a label with a TAB");
    char *long_key = malloc(FEAT_MAX_KEY + 2);
    memset(long_key, 'k', FEAT_MAX_KEY + 1);
    long_key[FEAT_MAX_KEY + 1] = '\0';
    feat_record_set(&rec, long_key, "", "", 0, 0, NULL);
    CHECK(feat_write(null, &rec) == -1, "feat_write refuses a key above the limit");
    long_key[FEAT_MAX_KEY] = '\0';
    feat_record_set(&rec, long_key, "", "", 0, 0, NULL);
    CHECK(feat_write(null, &rec) == 0, "feat_write accepts a key at the limit");
    free(long_key);
    fclose(null);
    feat_record_free(&rec);
}

static void test_finite(void)
{
    float v[4] = {0, 1, 2, 3};
    feat_record rec = {0};
    uint32_t row = 9, col = 9;
    feat_record_set(&rec, "k", "", "", 2, 2, v);
    CHECK(feat_record_finite(&rec, &row, &col), "a finite matrix is finite");
    rec.data[3] = INFINITY;
    CHECK(!feat_record_finite(&rec, &row, &col) && row == 1 && col == 1,
          "the first non-finite value is located");
    feat_record_free(&rec);
}

/* xorshift64*: a fixed-seed source for the mutations, independent of libc. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717u) >> 32) % n;
}

static void test_random_mutations(void)
{
    size_t len;
    unsigned char *valid = write_records(samples, 4, &len);
    unsigned char *b = malloc(2 * len + 64);
    int bad = 0, rejected = 0;
    const int rounds = 3000;
    for (int round = 0; round < rounds; round++) {
        size_t n = len;
        memcpy(b, valid, len);
        int edits = 1 + (int)rnd(6);
        for (int e = 0; e < edits; e++) {
            size_t at = rnd((uint32_t)n);
            switch (rnd(6)) {
            case 0: b[at] ^= (unsigned char)(1u << rnd(8)); break;
            case 1: b[at] = (unsigned char)rnd(256); break;
            case 2: n = at; break; /* truncate */
            case 3:                /* a size field set to something large */
                if (at + 4 <= n)
                    put32(b + at, rnd(2) ? 0xffffffffu : (1u << rnd(32)));
                break;
            case 4: /* insert a byte */
                memmove(b + at + 1, b + at, n - at);
                b[at] = (unsigned char)rnd(256);
                n++;
                break;
            default: /* delete a byte */
                memmove(b + at, b + at + 1, n - at - 1);
                n--;
                break;
            }
            if (n == 0 || n >= len + 32)
                break;
        }
        size_t records, cap;
        char err[SENTIO_ERR_LEN];
        int rc = read_all(b, n, &records, err, sizeof err, &cap);
        bool ok = rc == 0 || (rc == -1 && strstr(err, " (byte "));
        /* The reader grows its buffer in steps of 2^20 values as data arrives:
         * never more than one step beyond the values actually present. */
        ok = ok && cap <= n / sizeof(float) + (1u << 20);
        rejected += rc == -1;
        if (!ok && bad++ < 5)
            printf("#   round %d: rc %d, cap %zu for %zu bytes, '%s'\n", round, rc, cap, n, err);
    }
    CHECK(bad == 0, "3000 random mutations of a valid stream: always a clean end or an error "
                    "'(byte N)', never a buffer much larger than the input");
    CHECK(rejected > rounds / 2, "most mutations are detected");
    free(b);
    free(valid);
}

int main(void)
{
    snprintf(tmp_path, sizeof tmp_path, "/tmp/test_featstream.%ld", (long)getpid());
    make_samples();
    test_round_trip();
    test_layout_and_determinism();
    test_concatenation();
    test_bad_headers();
    test_absurd_claim();
    test_rows_without_columns();
    test_every_truncation();
    test_forbidden_characters();
    test_finite();
    test_random_mutations();
    for (int i = 0; i < 4; i++)
        feat_record_free(&samples[i]);
    unlink(tmp_path);
    return unit_done();
}
