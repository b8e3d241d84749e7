/* Kaldi binary archives and .npy files: the exact bytes of an entry (Kaldi's
 * MatrixBase::Write: "KEY " \0 B "FM " \4 rows \4 cols floats), a round trip,
 * double matrices, truncated and hostile headers, and the .npy header. */
#include "stream/featkaldi.h"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

static FILE *from_bytes(const void *b, size_t n)
{
    FILE *fp = tmpfile();
    fwrite(b, 1, n, fp);
    rewind(fp);
    return fp;
}

int main(void)
{
    char err[256];
    float a[6] = {1, -2, 0.5f, 3, 4, 5};
    feat_record r1 = {0}, r2 = {0}, got = {0};
    feat_record_set(&r1, "utt1", "Positive", "m", 2, 3, a);
    feat_record_set(&r2, "utt2", "", "m", 1, 2, a + 4);

    char *text = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&text, &n);
    CHECK(feat_ark_write(mem, &r1, err, sizeof err) == 0 &&
              feat_ark_write(mem, &r2, err, sizeof err) == 0,
          "two records written");
    fclose(mem);
    const unsigned char want[] = {'u', 't', 't', '1', ' ', 0, 'B', 'F', 'M', ' ',
                                  4,   2,   0,   0,   0,   4, 3,   0,   0,   0};
    CHECK(n == 2 * 20 + 4 * (6 + 2) && memcmp(text, want, sizeof want) == 0 &&
              memcmp(text + 20, a, 24) == 0,
          "an entry is the key, a space, \\0B, FM, \\4 rows, \\4 cols, then the floats");

    FILE *fp = from_bytes(text, n);
    feat_ark_reader rd = {.fp = fp};
    int rc1 = feat_ark_read(&rd, &got, "kaldi", err, sizeof err);
    CHECK(rc1 == 1 && strcmp(got.key, "utt1") == 0 && got.rows == 2 && got.cols == 3 &&
              memcmp(got.data, a, 24) == 0 && strcmp(got.label, "") == 0 &&
              strcmp(got.meta, "kaldi") == 0,
          "read back: key, shape and values");
    int rc2 = feat_ark_read(&rd, &got, "kaldi", err, sizeof err);
    CHECK(rc2 == 1 && strcmp(got.key, "utt2") == 0 && got.rows == 1 && got.cols == 2 &&
              got.data[1] == 5,
          "the second entry");
    CHECK(feat_ark_read(&rd, &got, "kaldi", err, sizeof err) == 0, "then the end");
    fclose(fp);

    /* a double matrix */
    unsigned char dm[13 + 7 + 16] = {'d', ' ', 0, 'B', 'D', 'M', ' ', 4, 1, 0, 0, 0, 4, 2, 0, 0, 0};
    double dv[2] = {0.25, -8};
    memcpy(dm + 17, dv, 16);
    feat_ark_reader dr = {.fp = from_bytes(dm, 33)};
    CHECK(feat_ark_read(&dr, &got, "", err, sizeof err) == 1 && got.cols == 2 &&
              got.data[0] == 0.25f && got.data[1] == -8.0f,
          "DM (double) matrices are read as float");
    fclose(dr.fp);
    feat_ark_reader_free(&dr);

    /* a header claiming 2^28 values in a few bytes: truncated, nothing huge allocated */
    unsigned char big[] = {'x', ' ', 0, 'B', 'F', 'M', ' ', 4, 0, 0, 1, 0, 4, 0, 1, 0, 0, 0, 0, 0};
    feat_ark_reader br = {.fp = from_bytes(big, sizeof big)};
    CHECK(feat_ark_read(&br, &got, "", err, sizeof err) == -1 && strstr(err, "truncated") &&
              br.cap <= 8192,
          "a huge claim in a tiny input fails as truncated, having allocated what arrived");
    fclose(br.fp);
    feat_ark_reader_free(&br);
    unsigned char neg[] = {'x',  ' ',  0,    'B', 'F', 'M', ' ', 4, 0xff,
                           0xff, 0xff, 0xff, 4,   1,   0,   0,   0};
    feat_ark_reader nr = {.fp = from_bytes(neg, sizeof neg)};
    CHECK(feat_ark_read(&nr, &got, "", err, sizeof err) == -1 && strstr(err, "out of range"),
          "negative dimensions are refused");
    fclose(nr.fp);
    unsigned char cm[] = {'x', ' ', 0, 'B', 'C', 'M', ' ', 1, 2, 3};
    feat_ark_reader cr = {.fp = from_bytes(cm, sizeof cm)};
    CHECK(feat_ark_read(&cr, &got, "", err, sizeof err) == -1 && strstr(err, "compressed"),
          "compressed matrices are refused with the way out");
    fclose(cr.fp);
    unsigned char txt[] = "x  [ 1 2 ]\n";
    feat_ark_reader tr = {.fp = from_bytes(txt, sizeof txt - 1)};
    CHECK(feat_ark_read(&tr, &got, "", err, sizeof err) == -1 && strstr(err, "text archives"),
          "text archives are refused");
    fclose(tr.fp);

    feat_record_set(&r2, "two words", "", "m", 1, 2, a);
    free(text);
    mem = open_memstream(&text, &n);
    CHECK(feat_ark_write(mem, &r2, err, sizeof err) == -1 && strstr(err, "has a blank"),
          "a key with a blank cannot be a Kaldi key");
    fclose(mem);
    free(text);

    /* .npy */
    feat_npy np = {0};
    feat_record_set(&r1, "a.wav", "Neutral", "m", 1, 3, a);
    feat_record_set(&r2, "b.wav", "", "m", 1, 3, a + 3);
    CHECK(feat_npy_add(&np, &r1, err, sizeof err) == 0 &&
              feat_npy_add(&np, &r2, err, sizeof err) == 0,
          "two one-row records collected");
    feat_record_set(&got, "c.wav", "", "m", 2, 3, a);
    CHECK(feat_npy_add(&np, &got, err, sizeof err) == -1 && strstr(err, "2 rows"),
          "several rows are refused");
    feat_record_set(&got, "c.wav", "", "m", 1, 2, a);
    CHECK(feat_npy_add(&np, &got, err, sizeof err) == -1 &&
              strstr(err, "2 values where the first had 3"),
          "another width is refused");
    char *nb = NULL, *tb = NULL;
    size_t nn = 0, tn = 0;
    FILE *nf = open_memstream(&nb, &nn), *tf = open_memstream(&tb, &tn);
    CHECK(feat_npy_write(&np, nf, tf) == 0, "written");
    fclose(nf);
    fclose(tf);
    unsigned hl = (unsigned char)nb[8] | (unsigned char)nb[9] << 8;
    CHECK(memcmp(nb, "\x93NUMPY\x01\x00", 8) == 0 && (10 + hl) % 64 == 0 &&
              nb[10 + hl - 1] == '\n' && strstr(nb + 10, "'shape': (2, 3)") &&
              strstr(nb + 10, "'descr': '<f4'"),
          "the .npy header: magic, version 1.0, '<f4', shape (2, 3), padded to 64 bytes");
    CHECK(nn == 10 + hl + 24 && memcmp(nb + 10 + hl, a, 24) == 0, "then the values, row-major");
    CHECK(strcmp(tb, "index\tkey\tlabel\n0\ta.wav\tNeutral\n1\tb.wav\t\n") == 0,
          "keys and labels beside it");
    free(nb);
    free(tb);
    feat_npy_free(&np);
    feat_ark_reader_free(&rd);
    feat_record_free(&r1);
    feat_record_free(&r2);
    feat_record_free(&got);
    return unit_done();
}
