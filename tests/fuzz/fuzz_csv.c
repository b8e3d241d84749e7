/* fuzz_csv - the Kaggle-style clip CSV reader (clip_list_read_csv; wav2mfcc --csv).
 * Properties: a rejected input gives -1 and "what (line N)" with N a line of the
 * input; every accepted row has a non-empty key free of TAB and line breaks, a
 * path DIR/KEY, and the rows written back as an RFC 4180 CSV (every field
 * quoted) read back to the same keys and labels. */
#include "fuzz.h"

#include "stream/cliplist.h"

/* Every field quoted (featdump --csv quotes only where needed), so that every
 * name read back goes through the reader's quoted path. */
static void write_quoted(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    const char *path = fuzz_file(data, size, ".csv");
    clip_list l = {0};
    char err[SENTIO_ERR_LEN] = "";
    if (clip_list_read_csv(&l, path, "clips", err, sizeof err) != 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "line", 1, lines) || strcmp(err, "empty CSV: expected a header 'Filename,Class'") == 0,
                    "rejected without a line in [1, %llu]: %s", lines, err);
        clip_list_free(&l);
        return 0;
    }
    FUZZ_ASSERT(!memchr(data, '\0', size), "a CSV with a NUL byte was accepted");
    for (size_t i = 0; i < l.n; i++) {
        const clip_entry *e = &l.items[i];
        FUZZ_ASSERT(e->key[0], "row %zu: empty key accepted", i);
        FUZZ_ASSERT(!strpbrk(e->key, "\t\r\n") && !strpbrk(e->label, "\t\r\n"),
                    "row %zu: a TAB or line break in key or label", i);
        FUZZ_ASSERT(e->key[0] == '/' ? strcmp(e->path, e->key) == 0
                                     : strncmp(e->path, "clips/", 6) == 0 && strcmp(e->path + 6, e->key) == 0,
                    "row %zu: path '%s' is not clips/'%s'", i, e->path, e->key);
    }
    /* Written back, every field quoted: the same rows. */
    fuzz_mem out;
    fuzz_mem_open(&out);
    fputs("Filename,Class\r\n", out.fp);
    for (size_t i = 0; i < l.n; i++) {
        write_quoted(out.fp, l.items[i].key);
        fputc(',', out.fp);
        write_quoted(out.fp, l.items[i].label);
        fputs("\r\n", out.fp);
    }
    fuzz_mem_close(&out);
    clip_list back = {0};
    path = fuzz_file((const uint8_t *)out.buf, out.len, ".csv");
    FUZZ_ASSERT(clip_list_read_csv(&back, path, "clips", err, sizeof err) == 0,
                "the rows written back are refused: %s", err);
    FUZZ_ASSERT(back.n == l.n, "%zu rows became %zu", l.n, back.n);
    for (size_t i = 0; i < l.n; i++)
        FUZZ_ASSERT(strcmp(back.items[i].key, l.items[i].key) == 0 &&
                        strcmp(back.items[i].label, l.items[i].label) == 0,
                    "row %zu changed: '%s' '%s' -> '%s' '%s'", i, l.items[i].key, l.items[i].label,
                    back.items[i].key, back.items[i].label);
    clip_list_free(&back);
    fuzz_mem_free(&out);
    clip_list_free(&l);
    return 0;
}
