/* fuzz_ark - the Kaldi binary archive reader (feat_ark_read; featdump --from-ark).
 * Properties: a rejected input gives -1 and "what (byte N)" with N in [1, size];
 * an accepted record passes feat_record_check and has a non-empty key free of
 * blanks and control characters; the records written back with feat_ark_write
 * (float matrices: a double one comes back as its float values) read back to as
 * many records, and writing those again gives the same bytes. */
#include "fuzz.h"

#include "stream/featkaldi.h"

/* Reads every record of in and writes it to out; returns the count, or -1 with err set. */
static long long copy_archive(FILE *in, FILE *out, size_t size, char *err, size_t errlen)
{
    feat_ark_reader r = {.fp = in};
    feat_record rec = {0};
    long long n = 0;
    int rc;
    while ((rc = feat_ark_read(&r, &rec, "", err, errlen)) == 1) {
        const char *bad = feat_record_check(&rec);
        FUZZ_ASSERT(!bad, "record %lld accepted, but %s", n + 1, bad);
        for (const unsigned char *c = (const unsigned char *)rec.key; *c; c++)
            FUZZ_ASSERT(*c > ' ' && *c != 0x7f, "record %lld: key byte 0x%02x", n + 1, *c);
        FUZZ_ASSERT(r.offset <= size, "read to byte %llu of %zu", r.offset, size);
        FUZZ_ASSERT(feat_ark_write(out, &rec, err, errlen) == 0, "accepted, not written: %s", err);
        n++;
    }
    feat_ark_reader_free(&r);
    feat_record_free(&rec);
    return rc < 0 ? -1 : n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[SENTIO_ERR_LEN] = "";
    FILE *in = fuzz_stream(data, size);
    fuzz_mem once;
    fuzz_mem_open(&once);
    long long n = copy_archive(in, once.fp, size, err, sizeof err);
    fclose(in);
    fuzz_mem_close(&once);
    if (n < 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "(byte", 1, size), "rejected without a byte in [1, %zu]: %s",
                    size, err);
        fuzz_mem_free(&once);
        return 0;
    }
    in = fuzz_stream((const uint8_t *)once.buf, once.len);
    fuzz_mem twice;
    fuzz_mem_open(&twice);
    long long again = copy_archive(in, twice.fp, once.len, err, sizeof err);
    fclose(in);
    fuzz_mem_close(&twice);
    FUZZ_ASSERT(again == n, "%lld records written back, %lld read back: %s", n, again, again < 0 ? err : "");
    FUZZ_ASSERT(twice.len == once.len && memcmp(twice.buf, once.buf, once.len) == 0,
                "the archive written back changed when read and written again");
    fuzz_mem_free(&twice);
    fuzz_mem_free(&once);
    return 0;
}
