/* fuzz_scp - the Kaldi wav.scp reader (clip_list_read_scp; wav2mfcc and wav2egemaps
 * --scp, with and without --scp-pipes). Properties: a rejected input gives -1 and
 * "what (line N)" with N a line of the input; an accepted entry has a non-empty key
 * free of blanks (space, TAB, CR) and line breaks, and a non-empty path or command
 * without blanks at either end; without pipes, the same input is accepted with the
 * same entries when it holds no command, and refused at a line otherwise; the
 * entries written back as "KEY PATH" or "KEY COMMAND |" lines read back the same. */
#include "fuzz.h"

#include "stream/cliplist.h"

static void same_entries(const clip_list *a, const clip_list *b, const char *what)
{
    FUZZ_ASSERT(a->n == b->n, "%s: %zu entries became %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        FUZZ_ASSERT(strcmp(a->items[i].key, b->items[i].key) == 0 &&
                        strcmp(a->items[i].path, b->items[i].path) == 0 &&
                        a->items[i].command == b->items[i].command,
                    "%s: entry %zu changed: '%s' '%s' -> '%s' '%s'", what, i, a->items[i].key,
                    a->items[i].path, b->items[i].key, b->items[i].path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    const char *path = fuzz_file(data, size, ".scp");
    clip_list l = {0}, plain = {0};
    char err[SENTIO_ERR_LEN] = "";
    int rc = clip_list_read_scp(&l, path, true, err, sizeof err);
    if (rc != 0)
        FUZZ_ASSERT(fuzz_names_position(err, "(line", 1, lines), "rejected without a line in [1, %llu]: %s",
                    lines, err);
    bool commands = false;
    fuzz_mem out;
    fuzz_mem_open(&out);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        const clip_entry *e = &l.items[i];
        size_t n = strlen(e->path);
        FUZZ_ASSERT(e->key[0] && !strpbrk(e->key, " \t\r\n"), "entry %zu: key '%s'", i, e->key);
        FUZZ_ASSERT(n && !strchr(" \t\r", e->path[0]) && !strchr(" \t\r\n", e->path[n - 1]) &&
                        !strchr(e->path, '\n'),
                    "entry %zu: path '%s'", i, e->path);
        FUZZ_ASSERT(e->command || e->path[n - 1] != '|', "entry %zu: a path ending in '|'", i);
        commands |= e->command;
        fprintf(out.fp, "%s %s%s\n", e->key, e->path, e->command ? " |" : "");
    }
    fuzz_mem_close(&out);
    /* Without --scp-pipes: the same entries, or a refusal at a command's line. */
    char err2[SENTIO_ERR_LEN] = "";
    int rc2 = clip_list_read_scp(&plain, path, false, err2, sizeof err2);
    if (rc == 0 && !commands) {
        FUZZ_ASSERT(rc2 == 0, "no command, yet refused without pipes: %s", err2);
        same_entries(&l, &plain, "without pipes");
    } else {
        FUZZ_ASSERT(rc2 != 0 && fuzz_names_position(err2, "(line", 1, lines),
                    "without pipes, not refused at a line: %s", err2);
    }
    clip_list_free(&plain);
    if (rc == 0) {
        clip_list back = {0};
        path = fuzz_file((const uint8_t *)out.buf, out.len, ".scp");
        FUZZ_ASSERT(clip_list_read_scp(&back, path, true, err, sizeof err) == 0, "written back, refused: %s",
                    err);
        same_entries(&l, &back, "written back");
        clip_list_free(&back);
    }
    fuzz_mem_free(&out);
    clip_list_free(&l);
    return 0;
}
