/* fuzz_text - the text form of feature streams (featdump --from-text, man 1 featdump).
 * Properties: a rejected input gives -1 and "NAME: what (line N)" with N a line
 * of the input (or the one after its end); every accepted record passes the
 * writer's checks, and text -> stream -> text -> stream gives the same stream. */
#include "fuzz.h"
#include "roundtrip.h"

#include "stream/featstream.h"
#include "stream/feattext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    feat_text_reader tr = {0};
    tr.fp = fuzz_stream(data, size);
    tr.name = strdup("(fuzz)");
    tr.owns_fp = true;
    tr.meta = strdup("");
    tr.meta_cap = 1;
    feat_record rec = {0};
    fuzz_mem stream;
    fuzz_mem_open(&stream);
    int rc;
    while ((rc = feat_text_read(&tr, &rec)) == 1) {
        FUZZ_ASSERT(feat_record_check(&rec) == NULL, "an accepted record fails the writer's check: %s",
                    feat_record_check(&rec));
        FUZZ_ASSERT(rec.rows == 0 || rec.cols > 0, "accepted %u rows of 0 values", rec.rows);
        FUZZ_ASSERT(feat_write(stream.fp, &rec) == 0, "an accepted record cannot be written");
    }
    if (rc < 0) {
        FUZZ_ASSERT(strncmp(tr.err, "(fuzz): ", 8) == 0, "the message does not name the input: %s", tr.err);
        FUZZ_ASSERT(fuzz_names_position(tr.err, "line", 1, lines),
                    "the message names no line in [1, %llu]: %s", lines, tr.err);
    }
    feat_text_reader_close(&tr);
    feat_record_free(&rec);
    fuzz_mem_close(&stream);
    text_round_trip(stream.buf, stream.len);
    fuzz_mem_free(&stream);
    return 0;
}
