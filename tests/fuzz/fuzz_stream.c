/* fuzz_stream - the binary feature stream reader (man 5 featstream).
 * Properties: a rejected input gives -1 and "NAME: what (byte N)" with N inside
 * the input; the accepted records, written again, are the input's bytes up to
 * where reading stopped; their text form (featdump) reads back to the same bytes. */
#include "fuzz.h"

#include "roundtrip.h"

#include "stream/featstream.h"
#include "stream/feattext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    feat_reader r = {0};
    r.fp = fuzz_stream(data, size);
    r.name = strdup("(fuzz)");
    r.owns_fp = true;
    feat_record rec = {0};
    feat_info info = {0};
    fuzz_mem again;
    fuzz_mem_open(&again);
    int rc;
    while ((rc = feat_read(&r, &rec)) == 1) {
        FUZZ_ASSERT(feat_record_check(&rec) == NULL, "an accepted record fails the writer's check: %s",
                    feat_record_check(&rec));
        /* Every row holds values: the stream's size bounds the work a record asks for. */
        FUZZ_ASSERT(rec.rows == 0 || rec.cols > 0, "accepted %u rows of 0 values", rec.rows);
        FUZZ_ASSERT(r.offset <= size, "offset %llu past the input", (unsigned long long)r.offset);
        FUZZ_ASSERT(feat_write(again.fp, &rec) == 0, "an accepted record cannot be written");
        feat_info_add(&info, &rec);
    }
    uint64_t stop = rc == 0 ? r.offset : r.record_start;
    if (rc < 0) {
        FUZZ_ASSERT(strncmp(r.err, "(fuzz): ", 8) == 0, "the message does not name the input: %s", r.err);
        FUZZ_ASSERT(fuzz_names_position(r.err, "byte", r.record_start, size),
                    "the message names no byte in [%llu, %zu]: %s",
                    (unsigned long long)r.record_start, size, r.err);
    } else {
        FUZZ_ASSERT(r.offset == size, "clean end at byte %llu of %zu", (unsigned long long)r.offset, size);
    }
    fuzz_mem_close(&again);
    FUZZ_ASSERT(again.len == stop && memcmp(again.buf, data, stop) == 0,
                "the accepted records, written again, differ from the input's first %llu bytes",
                (unsigned long long)stop);
    FILE *null = fopen("/dev/null", "w");
    feat_info_print(&info, null);
    fclose(null);
    feat_info_free(&info);
    text_round_trip(again.buf, again.len);
    fuzz_mem_free(&again);
    feat_record_free(&rec);
    feat_reader_close(&r);
    return 0;
}
