/* roundtrip.h - featstream(5)'s promise that a stream's text form (featdump)
 * reads back to the same bytes, shared by the stream and text harnesses. */
#ifndef SENTIO_FUZZ_ROUNDTRIP_H
#define SENTIO_FUZZ_ROUNDTRIP_H

#include "fuzz.h"

#include "stream/featstream.h"
#include "stream/feattext.h"

/* stream: bytes that feat_write wrote. Aborts unless stream -> text -> stream
 * gives them back. */
static inline void text_round_trip(const char *stream, size_t len)
{
    /* stream -> text */
    fuzz_mem text;
    fuzz_mem_open(&text);
    feat_text_writer w;
    feat_text_writer_init(&w, text.fp, len % 2 == 1); /* with and without the header line */
    feat_reader r = {0};
    r.fp = fuzz_stream((const uint8_t *)stream, len);
    r.name = strdup("(fuzz)");
    r.owns_fp = true;
    feat_record rec = {0};
    int rc;
    while ((rc = feat_read(&r, &rec)) == 1)
        FUZZ_ASSERT(feat_text_write(&w, &rec) == 0, "text write failed");
    FUZZ_ASSERT(rc == 0, "the re-written stream does not read back: %s", r.err);
    FUZZ_ASSERT(feat_text_writer_finish(&w) == 0, "text finish failed");
    feat_text_writer_free(&w);
    feat_reader_close(&r);
    fuzz_mem_close(&text);

    /* text -> stream */
    fuzz_mem back;
    fuzz_mem_open(&back);
    feat_text_reader tr = {0};
    tr.fp = fuzz_stream((const uint8_t *)text.buf, text.len);
    tr.name = strdup("(fuzz text)");
    tr.owns_fp = true;
    tr.meta = strdup("");
    tr.meta_cap = 1;
    while ((rc = feat_text_read(&tr, &rec)) == 1)
        FUZZ_ASSERT(feat_write(back.fp, &rec) == 0, "stream write failed");
    FUZZ_ASSERT(rc == 0, "featdump's text does not read back: %s\n%.*s", tr.err,
                (int)(text.len < 2000 ? text.len : 2000), text.buf);
    feat_text_reader_close(&tr);
    fuzz_mem_close(&back);
    FUZZ_ASSERT(back.len == len && memcmp(back.buf, stream, len) == 0,
                "stream -> text -> stream changed the bytes (%zu -> %zu)", len, back.len);
    fuzz_mem_free(&back);
    fuzz_mem_free(&text);
    feat_record_free(&rec);
}

#endif
