#include "stream/cliplist.h"

#include "base/cli.h"
#include "base/err.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void clip_list_free(clip_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].key);
        free(l->items[i].label);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

void clip_list_add(clip_list *l, const char *path, const char *key, const char *label)
{
    if (l->n == l->cap) {
        l->cap = cli_grown(l->cap, 64);
        l->items = cli_xreallocarray(l->items, l->cap, sizeof *l->items);
    }
    clip_entry *e = &l->items[l->n++];
    e->path = cli_xstrdup(path);
    e->key = cli_xstrdup(key ? key : path);
    e->label = cli_xstrdup(label ? label : "");
    e->command = false;
}

static const char *bad_text(const char *s);

/* The scp's options while its lines are read. */
typedef struct {
    clip_list *l;
    bool allow_pipes;
} scp_reading;

/* What separates and surrounds an scp's fields: a CR too, so that CRLF files and
 * a stray CR never leave one in a key, a path or a command. */
#define SCP_BLANKS " \t\r"

static int scp_line(char *buf, size_t len, unsigned long long line, void *ctx, char *err,
                    size_t errlen)
{
    const scp_reading *s = ctx;
    while (len > 0 && strchr(SCP_BLANKS "\n", buf[len - 1]))
        buf[--len] = '\0';
    char *key = buf + strspn(buf, SCP_BLANKS);
    if (!*key)
        return 0;
    char *rx = key + strcspn(key, SCP_BLANKS);
    if (!*rx)
        return err_at_line(err, errlen, NULL, line, "'%s' has no file (expected UTT-ID PATH)", key);
    *rx++ = '\0';
    rx += strspn(rx, SCP_BLANKS);
    const char *bad = bad_text(key);
    if (bad)
        return err_at_line(err, errlen, NULL, line, "utterance id %s", bad);
    size_t n = strlen(rx);
    if (rx[n - 1] != '|') {
        clip_list_add(s->l, rx, key, "");
        return 0;
    }
    if (!s->allow_pipes)
        return err_at_line(err, errlen, NULL, line,
                           "'%s' is a command ('... |'); --scp-pipes runs such entries "
                           "with the shell",
                           key);
    rx[--n] = '\0';
    while (n > 0 && strchr(SCP_BLANKS, rx[n - 1]))
        rx[--n] = '\0';
    if (n == 0)
        return err_at_line(err, errlen, NULL, line, "'%s' has an empty command", key);
    clip_list_add(s->l, rx, key, "");
    s->l->items[s->l->n - 1].command = true;
    return 0;
}

int clip_list_read_scp(clip_list *l, const char *file, bool allow_pipes, char *err, size_t errlen)
{
    scp_reading s = {.l = l, .allow_pipes = allow_pipes};
    return cli_read_lines(file, NULL, scp_line, &s, err, errlen);
}

/* Keys and labels go into tab-separated text forms: refuse what would break them. */
static const char *bad_text(const char *s)
{
    for (; *s; s++)
        if (*s == '\t' || *s == '\r' || *s == '\n')
            return *s == '\t' ? "a TAB" : "a line break";
    return NULL;
}

char *clip_list_csv_dir(const char *csv)
{
    const char *slash = strrchr(csv, '/');
    const char *base = slash ? slash + 1 : csv;
    const char *dot = strrchr(base, '.');
    size_t n;
    if (dot && dot != base)
        n = (size_t)(dot - csv); /* data/TRAIN.csv -> data/TRAIN */
    else if (slash)
        n = (size_t)(slash - csv); /* data/list -> data */
    else
        return cli_xstrdup(".");
    char *d = cli_xmalloc(n + 1);
    memcpy(d, csv, n);
    d[n] = '\0';
    return n ? d : (free(d), cli_xstrdup("/"));
}

/* A growable string. */
typedef struct {
    char *s;
    size_t n, cap;
} strbuf;

static void sb_putc(strbuf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        b->cap = cli_grown(b->cap, 64);
        b->s = cli_xrealloc(b->s, b->cap);
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
}

typedef struct {
    strbuf *fields;
    size_t n, cap;
} csv_row;

static strbuf *row_next_field(csv_row *r)
{
    if (r->n == r->cap) {
        size_t old = r->cap;
        r->cap = cli_grown(r->cap, 4);
        r->fields = cli_xreallocarray(r->fields, r->cap, sizeof *r->fields);
        memset(r->fields + old, 0, (r->cap - old) * sizeof *r->fields);
    }
    strbuf *f = &r->fields[r->n++];
    f->n = 0;
    if (f->s)
        f->s[0] = '\0';
    return f;
}

static const char *field(const csv_row *r, size_t i)
{
    return r->fields[i].s ? r->fields[i].s : "";
}

/* Reads one RFC 4180 record. Returns 1 for a row, 0 at end of file, -1 on a
 * quoting error. *line counts lines consumed (quoted fields may span lines). */
static int csv_read_row(FILE *fp, csv_row *r, long *line, char *err, size_t errlen)
{
    r->n = 0;
    int c = getc(fp);
    if (c == EOF)
        return 0;
    ++*line;
    strbuf *f = row_next_field(r);
    bool quoted = false, after_quote = false;
    for (;; c = getc(fp)) {
        if (c == '\0') /* would cut the field short in silence */
            return err_at_line(err, errlen, NULL, (unsigned long long)*line, "a NUL byte");
        if (quoted) {
            if (c == EOF)
                return err_at_line(err, errlen, NULL, (unsigned long long)*line,
                                   "unterminated quoted field");
            if (c == '"') {
                int d = getc(fp);
                if (d == '"') {
                    sb_putc(f, '"');
                } else {
                    quoted = false;
                    after_quote = true;
                    ungetc(d, fp);
                }
            } else {
                if (c == '\n')
                    ++*line;
                sb_putc(f, (char)c);
            }
            continue;
        }
        if (c == EOF || c == '\n')
            break;
        if (c == '\r') {
            int d = getc(fp);
            if (d == '\n' || d == EOF)
                break;
            ungetc(d, fp);
            return err_at_line(err, errlen, NULL, (unsigned long long)*line,
                               "a carriage return inside a field");
        }
        if (c == ',') {
            f = row_next_field(r);
            after_quote = false;
        } else if (c == '"' && f->n == 0 && !after_quote) {
            quoted = true;
        } else if (after_quote) {
            return err_at_line(err, errlen, NULL, (unsigned long long)*line,
                               "text after a closing quote");
        } else {
            sb_putc(f, (char)c);
        }
    }
    return 1;
}

static bool row_blank(const csv_row *r) { return r->n == 1 && field(r, 0)[0] == '\0'; }

static void row_free(csv_row *r)
{
    for (size_t i = 0; i < r->cap; i++)
        free(r->fields[i].s);
    free(r->fields);
}

int clip_list_read_csv(clip_list *l, const char *csv, const char *dir, char *err, size_t errlen)
{
    FILE *fp = fopen(csv, "rb");
    if (!fp)
        return err_set(err, errlen, "%s", strerror(errno));
    /* A UTF-8 byte-order mark, as Excel writes. */
    unsigned char bom[3];
    size_t got = fread(bom, 1, 3, fp);
    if (!(got == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF))
        rewind(fp);
    int rc = 0;
    char *folder = dir ? cli_xstrdup(dir) : clip_list_csv_dir(csv);
    csv_row row = {0};
    long line = 0;
    long name_col = -1, class_col = -1;
    size_t ncols = 0;
    int r = csv_read_row(fp, &row, &line, err, errlen);
    if (r <= 0) {
        rc = r < 0 ? -1 : err_set(err, errlen, "empty CSV: expected a header 'Filename,Class'");
        goto done;
    }
    ncols = row.n;
    for (size_t i = 0; i < row.n; i++) {
        if (strcasecmp(field(&row, i), "Filename") == 0 && name_col < 0)
            name_col = (long)i;
        else if (strcasecmp(field(&row, i), "Class") == 0 && class_col < 0)
            class_col = (long)i;
    }
    if (name_col < 0) {
        rc = err_set(err, errlen, "line 1: the header has no 'Filename' column");
        goto done;
    }
    size_t plen = strlen(folder);
    while ((r = csv_read_row(fp, &row, &line, err, errlen)) > 0) {
        if (row_blank(&row))
            continue;
        if (row.n != ncols) {
            rc = err_at_line(err, errlen, NULL, (unsigned long long)line,
                             "%zu fields, the header has %zu", row.n, ncols);
            goto done;
        }
        const char *name = field(&row, (size_t)name_col);
        const char *label = class_col >= 0 ? field(&row, (size_t)class_col) : "";
        const char *why;
        if (!name[0]) {
            rc = err_at_line(err, errlen, NULL, (unsigned long long)line, "empty Filename");
            goto done;
        }
        if ((why = bad_text(name)) || (why = bad_text(label))) {
            rc = err_at_line(err, errlen, NULL, (unsigned long long)line,
                             "%s in a file name or class", why);
            goto done;
        }
        size_t size = plen + strlen(name) + 2;
        char *path = cli_xmalloc(size);
        if (name[0] == '/')
            snprintf(path, size, "%s", name);
        else
            snprintf(path, size, "%s/%s", folder, name);
        clip_list_add(l, path, name, label);
        free(path);
    }
    if (r < 0)
        rc = -1;
    else if (ferror(fp))
        rc = err_set(err, errlen, "read error: %s", strerror(errno));
done:
    row_free(&row);
    free(folder);
    fclose(fp);
    return rc;
}

static int list_line(char *buf, size_t len, unsigned long long line, void *ctx, char *err,
                     size_t errlen)
{
    clip_list *l = ctx;
    if (len > 0 && buf[len - 1] == '\n')
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    if (len == 0)
        return 0;
    if (strchr(buf, '\r')) /* keys and labels go into tab-separated text */
        return err_at_line(err, errlen, NULL, line, "a carriage return inside the line");
    char *label = strchr(buf, '\t');
    if (label) {
        *label++ = '\0';
        if (strchr(label, '\t'))
            return err_at_line(err, errlen, NULL, line,
                               "more than one TAB (expected PATH or PATH<TAB>LABEL)");
    }
    if (!buf[0])
        return err_at_line(err, errlen, NULL, line, "empty path");
    clip_list_add(l, buf, buf, label);
    return 0;
}

int clip_list_read_list(clip_list *l, const char *file, char *err, size_t errlen)
{
    return cli_read_lines(file, NULL, list_line, l, err, errlen);
}
