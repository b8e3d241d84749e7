/* The featstream hashing hook: input_sha256 is the SHA-256 of every byte the
 * readers consumed, i.e. of `cat FILE...`, whatever the files' boundaries. */
#include "stream/featstream.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char *write_stream(const char *dir, const char *name, int nrec, unsigned char **all,
                          size_t *alln)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    feat_record rec = {0};
    float v[3] = {1.5f, -2.0f, 0.25f};
    for (int i = 0; i < nrec; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s-%d", name, i);
        v[0] += 1.0f;
        feat_record_set(&rec, key, i % 2 ? "Positive" : "Negative", "sr=22050", 1, 3, v);
        feat_write(fp, &rec);
    }
    feat_record_free(&rec);
    fclose(fp);
    fp = fopen(path, "rb");
    unsigned char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
        *all = realloc(*all, *alln + got);
        memcpy(*all + *alln, buf, got);
        *alln += got;
    }
    fclose(fp);
    return path;
}

int main(void)
{
    char dir[] = "/tmp/sentio-feathash-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    unsigned char *all = NULL;
    size_t alln = 0;
    char *files[2];
    files[0] = write_stream(dir, "a.feat", 3, &all, &alln);
    files[1] = write_stream(dir, "b.feat", 2, &all, &alln);
    char want[65], got[65];
    sha256_buffer_hex(all, alln, want);

    sha256_ctx c;
    sha256_init(&c);
    feat_input in;
    feat_input_init(&in, 2, files);
    in.hash = &c;
    feat_record rec = {0};
    int n = 0, rc;
    while ((rc = feat_input_next(&in, &rec)) == 1)
        n++;
    feat_input_close(&in);
    unsigned char d[32];
    sha256_final(&c, d);
    sha256_hex(d, got);
    CHECK(rc == 0 && n == 5, "both files read to their end");
    CHECK(strcmp(got, want) == 0, "feat_input hash equals sha256 of the concatenated files");

    feat_reader r;
    sha256_init(&c);
    feat_reader_open(&r, files[1]);
    r.hash = &c;
    while (feat_read(&r, &rec) == 1)
        ;
    feat_reader_close(&r);
    sha256_final(&c, d);
    sha256_hex(d, got);
    size_t first = alln;
    { /* the second file's own bytes are the tail of `all` */
        FILE *fp = fopen(files[1], "rb");
        fseek(fp, 0, SEEK_END);
        first = alln - (size_t)ftell(fp);
        fclose(fp);
    }
    sha256_buffer_hex(all + first, alln - first, want);
    CHECK(strcmp(got, want) == 0, "feat_reader hash equals sha256 of its one file");

    feat_record_free(&rec);
    for (int i = 0; i < 2; i++) {
        unlink(files[i]);
        free(files[i]);
    }
    rmdir(dir);
    free(all);
    return unit_done();
}
