/* fuzz_list - the clip list reader (clip_list_read_list; wav2mfcc --list):
 * lines of PATH or PATH<TAB>LABEL. Properties: a rejected input gives -1 and
 * "what (line N)" with N a line of the input; an accepted entry has a non-empty
 * path and label free of TAB, CR, LF and NUL, and the entries written back as PATH<TAB>LABEL
 * lines read back to the same entries. */
#include "fuzz.h"

#include "stream/cliplist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    const char *path = fuzz_file(data, size, ".list");
    clip_list l = {0};
    char err[SENTIO_ERR_LEN] = "";
    if (clip_list_read_list(&l, path, err, sizeof err) != 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "line", 1, lines), "rejected without a line in [1, %llu]: %s",
                    lines, err);
        clip_list_free(&l);
        return 0;
    }
    fuzz_mem out;
    fuzz_mem_open(&out);
    for (size_t i = 0; i < l.n; i++) {
        const clip_entry *e = &l.items[i];
        FUZZ_ASSERT(e->path[0] && strcmp(e->path, e->key) == 0, "entry %zu: path '%s', key '%s'", i,
                    e->path, e->key);
        FUZZ_ASSERT(!strpbrk(e->path, "\t\r\n") && !strpbrk(e->label, "\t\r\n"),
                    "entry %zu: a TAB or line break in path or label", i);
        fprintf(out.fp, "%s\t%s\n", e->path, e->label);
    }
    fuzz_mem_close(&out);
    clip_list back = {0};
    path = fuzz_file((const uint8_t *)out.buf, out.len, ".list");
    FUZZ_ASSERT(clip_list_read_list(&back, path, err, sizeof err) == 0, "written back, refused: %s", err);
    FUZZ_ASSERT(back.n == l.n, "%zu entries became %zu", l.n, back.n);
    for (size_t i = 0; i < l.n; i++)
        FUZZ_ASSERT(strcmp(back.items[i].path, l.items[i].path) == 0 &&
                        strcmp(back.items[i].label, l.items[i].label) == 0,
                    "entry %zu changed: '%s' '%s' -> '%s' '%s'", i, l.items[i].path, l.items[i].label,
                    back.items[i].path, back.items[i].label);
    clip_list_free(&back);
    fuzz_mem_free(&out);
    clip_list_free(&l);
    return 0;
}
