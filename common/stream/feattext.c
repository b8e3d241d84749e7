#include "stream/feattext.h"

#include "base/cli.h"
#include "base/err.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ---- */

#define QUIET_NAN_PAYLOAD 0x400000u
#define MANTISSA_MASK 0x7fffffu

void feat_format_value(char *buf, float v)
{
    if (isnan(v)) {
        uint32_t bits;
        memcpy(&bits, &v, 4);
        const char *sign = bits >> 31 ? "-" : "";
        uint32_t payload = bits & MANTISSA_MASK;
        if (payload == QUIET_NAN_PAYLOAD)
            snprintf(buf, FEAT_VALUE_CHARS, "%snan", sign);
        else
            snprintf(buf, FEAT_VALUE_CHARS, "%snan(0x%x)", sign, (unsigned)payload);
        return;
    }
    snprintf(buf, FEAT_VALUE_CHARS, "%.9g", (double)v);
}

/* The nan spellings are parsed here rather than by strtof, whose handling of
 * signs and payloads of NaN is not specified by C. */
static int parse_nan(const char *s, float *v)
{
    uint32_t sign = 0;
    if (*s == '-') {
        sign = 1u << 31;
        s++;
    }
    if (strncmp(s, "nan", 3) != 0)
        return 1; /* not a nan spelling */
    s += 3;
    uint32_t payload = QUIET_NAN_PAYLOAD;
    if (*s == '(') {
        char *end;
        if (strncmp(s + 1, "0x", 2) != 0)
            return -1;
        errno = 0;
        unsigned long p = strtoul(s + 3, &end, 16);
        if (errno || end == s + 3 || strcmp(end, ")") != 0 || p == 0 || p > MANTISSA_MASK)
            return -1;
        payload = (uint32_t)p;
    } else if (*s) {
        return -1;
    }
    uint32_t bits = sign | 0x7f800000u | payload;
    memcpy(v, &bits, 4);
    return 0;
}

int feat_parse_value(const char *s, float *v)
{
    int rc = parse_nan(s, v);
    if (rc <= 0)
        return rc;
    char *end;
    errno = 0;
    float f = strtof(s, &end);
    if (end == s || *end != '\0')
        return -1;
    /* ERANGE on underflow is fine (subnormals round-trip); overflow is not. */
    if (errno == ERANGE && isinf(f))
        return -1;
    *v = f;
    return 0;
}

/* ---- text form: writing ---- */

void feat_text_writer_init(feat_text_writer *w, FILE *fp, bool header)
{
    memset(w, 0, sizeof *w);
    w->fp = fp;
    w->header = header;
}

void feat_text_writer_free(feat_text_writer *w)
{
    free(w->meta);
    w->meta = NULL;
}

/* sep, then column c's name from the metadata's names= field, or f(c+1). */
static void write_column_name(FILE *fp, char sep, const char *meta, uint32_t cols, uint32_t c)
{
    char name[FEAT_MAX_META + 1];
    fputc(sep, fp);
    if (feat_meta_column_name(meta, cols, c, name, sizeof name))
        fputs(name, fp);
    else
        fprintf(fp, "f%u", (unsigned)c + 1);
}

static void write_header(feat_text_writer *w, const char *meta, uint32_t cols)
{
    fputs("key\tlabel\trow", w->fp);
    for (uint32_t c = 0; c < cols; c++)
        write_column_name(w->fp, '\t', meta, cols, c);
    fputc('\n', w->fp);
    w->header = false;
}

static void write_key(FILE *fp, const char *key)
{
    if (key[0] == '#' || key[0] == '\\')
        fputc('\\', fp);
    fputs(key, fp);
}

int feat_text_write(feat_text_writer *w, const feat_record *rec)
{
    if (w->header)
        write_header(w, rec->meta, rec->cols);
    const char *meta = rec->meta ? rec->meta : "";
    const char *label = rec->label ? rec->label : "";
    /* A #meta line before the first record too, so that concatenated text
     * files keep each record's metadata. */
    if (!w->meta_written || strcmp(w->meta, meta) != 0) {
        fprintf(w->fp, "#meta\t%s\n", meta);
        free(w->meta);
        w->meta = cli_xstrdup(meta);
        w->meta_written = true;
    }
    if (rec->rows == 0)
        fprintf(w->fp, "#empty\t%s\t%s\t%u\n", rec->key, label, (unsigned)rec->cols);
    char value[FEAT_VALUE_CHARS];
    for (uint32_t r = 0; r < rec->rows; r++) {
        write_key(w->fp, rec->key);
        fprintf(w->fp, "\t%s\t%u", label, (unsigned)r);
        const float *row = rec->data + (size_t)r * rec->cols;
        for (uint32_t c = 0; c < rec->cols; c++) {
            feat_format_value(value, row[c]);
            fputc('\t', w->fp);
            fputs(value, w->fp);
        }
        if (fputc('\n', w->fp) == EOF)
            return -1;
    }
    return ferror(w->fp) ? -1 : 0;
}

int feat_text_writer_finish(feat_text_writer *w)
{
    if (w->header)
        write_header(w, NULL, 0);
    return ferror(w->fp) ? -1 : 0;
}

/* ---- text form: reading ---- */

int feat_text_reader_open(feat_text_reader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    r->meta = cli_xstrdup("");
    r->meta_cap = 1;
    r->name = cli_xstrdup(cli_input_name(path));
    r->fp = cli_open_input(path);
    if (!r->fp) {
        err_in(r->err, sizeof r->err, path, "%s", strerror(errno));
        return -1;
    }
    r->owns_fp = r->fp != stdin;
    return 0;
}

void feat_text_reader_close(feat_text_reader *r)
{
    if (r->owns_fp && r->fp)
        fclose(r->fp);
    free(r->name);
    free(r->buf);
    free(r->meta);
    memset(r, 0, sizeof *r);
}

/* The next line without its LF or CRLF; 0 at the end, -1 on an error. */
static int next_line(feat_text_reader *r)
{
    if (r->pending) {
        r->pending = false;
        return 1;
    }
    bool failed = false;
    r->len = cli_getline(&r->buf, &r->cap, r->fp, &failed);
    if (r->len < 0) {
        if (failed)
            return err_at_line(r->err, sizeof r->err, r->name, r->line + 1, "read error: %s",
                               strerror(errno));
        return 0;
    }
    r->line++;
    if (memchr(r->buf, '\0', (size_t)r->len))
        return err_at_line(r->err, sizeof r->err, r->name, r->line, "NUL byte in the text");
    if (r->len > 0 && r->buf[r->len - 1] == '\n')
        r->buf[--r->len] = '\0';
    if (r->len > 0 && r->buf[r->len - 1] == '\r')
        r->buf[--r->len] = '\0';
    return 1;
}

/* Splits buf at TABs in place; returns the number of fields. */
static size_t split_fields(char *buf, char ***fields, size_t *cap)
{
    size_t n = 0;
    for (char *p = buf;; p++) {
        if (n == *cap) {
            *cap = cli_grown(*cap, 64);
            *fields = cli_xreallocarray(*fields, *cap, sizeof **fields);
        }
        (*fields)[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            return n;
        *p = '\0';
    }
}

static int parse_u32(const char *s, uint32_t *v)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 10)
        return -1;
    unsigned long long x = strtoull(s, NULL, 10);
    if (x > UINT32_MAX)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

static bool starts_directive(const char *line, const char *name)
{
    size_t n = strlen(name);
    return strncmp(line, name, n) == 0 && (line[n] == '\t' || line[n] == '\0');
}

/* Checks rec's strings and shape as feat_write would; -1 with r->err set. */
static int check_record(feat_text_reader *r, const feat_record *rec, uint64_t line)
{
    const char *bad = feat_record_check(rec);
    return bad ? err_at_line(r->err, sizeof r->err, r->name, line, "%s", bad) : 0;
}

static int read_empty_record(feat_text_reader *r, feat_record *rec, char **f, size_t n)
{
    uint32_t cols;
    if (n != 4)
        return err_at_line(r->err, sizeof r->err, r->name, r->line,
                           "#empty needs KEY, LABEL and COLS (%zu fields)", n - 1);
    if (parse_u32(f[3], &cols) != 0)
        return err_at_line(r->err, sizeof r->err, r->name, r->line, "bad column count '%s'", f[3]);
    feat_record_set(rec, f[1], f[2], r->meta, 0, cols, NULL);
    return check_record(r, rec, r->line) ? -1 : 1;
}

int feat_text_read(feat_text_reader *r, feat_record *rec)
{
    bool in_record = false;
    uint64_t first_line = 0;
    char **f = NULL;
    size_t fcap = 0;
    int rc;
    for (;;) {
        rc = next_line(r);
        if (rc <= 0) {
            rc = rc < 0 ? -1 : in_record ? 1 : 0;
            break;
        }
        char *line = r->buf;
        if (!*line)
            continue;
        if (line[0] == '#') {
            bool meta = starts_directive(line, "#meta"), empty = starts_directive(line, "#empty");
            if (!meta && !empty)
                continue; /* a comment */
            if (in_record) {
                r->pending = true;
                rc = 1;
                break;
            }
            if (meta) {
                const char *text = line[5] ? line + 6 : "";
                size_t len = strlen(text);
                if (len > FEAT_MAX_META) {
                    rc = err_at_line(r->err, sizeof r->err, r->name, r->line,
                                     "metadata longer than %u bytes", FEAT_MAX_META);
                    break;
                }
                if (r->meta_cap < len + 1) {
                    r->meta = cli_xrealloc(r->meta, len + 1);
                    r->meta_cap = len + 1;
                }
                memcpy(r->meta, text, len + 1);
                continue;
            }
            size_t n = split_fields(line, &f, &fcap);
            rc = read_empty_record(r, rec, f, n);
            break;
        }
        size_t n = split_fields(line, &f, &fcap);
        if (n >= 3 && strcmp(f[0], "key") == 0 && strcmp(f[1], "label") == 0 &&
            strcmp(f[2], "row") == 0)
            continue; /* a header line */
        if (n < 3) {
            rc = err_at_line(r->err, sizeof r->err, r->name, r->line,
                             "expected KEY, LABEL, ROW and values, got %zu field%s", n,
                             n == 1 ? "" : "s");
            break;
        }
        const char *key = f[0][0] == '\\' ? f[0] + 1 : f[0];
        uint32_t row, cols = (uint32_t)(n - 3 < UINT32_MAX ? n - 3 : UINT32_MAX);
        if (parse_u32(f[2], &row) != 0) {
            rc = err_at_line(r->err, sizeof r->err, r->name, r->line, "bad row index '%s'", f[2]);
            break;
        }
        if (row == 0) {
            if (in_record) {
                /* f[] points into buf: restore the TABs for the next call. */
                for (size_t i = 1; i < n; i++)
                    f[i][-1] = '\t';
                r->pending = true;
                rc = 1;
                break;
            }
            if (n == 3) {
                rc = err_at_line(r->err, sizeof r->err, r->name, r->line,
                                 "row 0 of '%s' has no values: a row holds at least one", key);
                break;
            }
            if (n - 3 > FEAT_MAX_COLS) {
                rc = err_at_line(r->err, sizeof r->err, r->name, r->line,
                                 "%zu values in a row (at most %u)", n - 3, FEAT_MAX_COLS);
                break;
            }
            feat_record_set(rec, key, f[1], r->meta, 0, cols, NULL);
            if (check_record(r, rec, r->line)) {
                rc = -1;
                break;
            }
            in_record = true;
            first_line = r->line;
        } else {
            if (!in_record || strcmp(key, rec->key) != 0 || strcmp(f[1], rec->label) != 0 ||
                row != rec->rows) {
                rc = err_at_line(r->err, sizeof r->err, r->name, r->line,
                                 "row %u of '%s' does not follow its row %u", row, key, row - 1);
                break;
            }
            if (cols != rec->cols) {
                rc = err_at_line(r->err, sizeof r->err, r->name, r->line,
                                 "%u values in row %u of '%s', its row 0 (line %llu) has %u", cols,
                                 row, key, (unsigned long long)first_line, rec->cols);
                break;
            }
        }
        uint32_t rows = rec->rows;
        if (rows + 1 > FEAT_MAX_ROWS || (uint64_t)(rows + 1) * cols > FEAT_MAX_VALUES) {
            rc = err_at_line(r->err, sizeof r->err, r->name, r->line, "record '%s' is too large",
                             key);
            break;
        }
        if (rec->data_cap < (size_t)(rows + 1) * cols) {
            /* Grow geometrically: reserve room for twice the rows, then shrink the shape back. */
            uint32_t room = rows < FEAT_MAX_ROWS / 2 ? 2 * rows + 1 : FEAT_MAX_ROWS;
            if ((uint64_t)room * cols > FEAT_MAX_VALUES)
                room = FEAT_MAX_VALUES / (cols ? cols : 1);
            feat_record_resize(rec, room, cols);
        }
        rec->rows = rows + 1;
        float *dst = rec->data + (size_t)rows * cols;
        size_t bad = n;
        for (size_t i = 3; i < n; i++)
            if (feat_parse_value(f[i], &dst[i - 3]) != 0) {
                bad = i;
                break;
            }
        if (bad < n) {
            rc = err_at_line(r->err, sizeof r->err, r->name, r->line, "bad value '%s' in field %zu",
                             f[bad], bad + 1);
            break;
        }
    }
    free(f);
    return rc;
}

/* ---- CSV ---- */

void feat_csv_writer_init(feat_csv_writer *w, FILE *fp)
{
    memset(w, 0, sizeof *w);
    w->fp = fp;
}

/* RFC 4180: quote a field holding a comma, a quote or leading/trailing space. */
static void write_csv_field(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"") || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

int feat_csv_write(feat_csv_writer *w, const feat_record *rec, char *err, size_t errlen)
{
    uint64_t nr = ++w->records;
    if (rec->rows != 1) {
        err_set(err, errlen, "record %llu ('%s') has %u rows; --csv needs one row per record",
                (unsigned long long)nr, rec->key, (unsigned)rec->rows);
        return -1;
    }
    if (nr == 1) {
        w->cols = rec->cols;
        fputs("key,label", w->fp);
        for (uint32_t c = 0; c < w->cols; c++)
            write_column_name(w->fp, ',', rec->meta, w->cols, c);
        fputc('\n', w->fp);
    } else if (rec->cols != w->cols) {
        err_set(err, errlen, "record %llu ('%s') has %u values, the first record has %u",
                (unsigned long long)nr, rec->key, (unsigned)rec->cols, (unsigned)w->cols);
        return -1;
    }
    write_csv_field(w->fp, rec->key);
    fputc(',', w->fp);
    write_csv_field(w->fp, rec->label ? rec->label : "");
    char value[FEAT_VALUE_CHARS];
    for (uint32_t c = 0; c < rec->cols; c++) {
        feat_format_value(value, rec->data[c]);
        fputc(',', w->fp);
        fputs(value, w->fp);
    }
    fputc('\n', w->fp);
    return 0;
}

/* ---- libsvm ---- */

int feat_libsvm_init(feat_libsvm_writer *w, FILE *out, strmap *classes, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    if (classes) {
        w->classes = *classes;
        memset(classes, 0, sizeof *classes);
        w->fixed = true;
        return 0;
    }
    w->spool = tmpfile();
    if (!w->spool) {
        err_set(err, errlen, "cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    return 0;
}

void feat_libsvm_free(feat_libsvm_writer *w)
{
    if (w->spool)
        fclose(w->spool);
    free(w->line_class);
    strmap_free(&w->classes);
    memset(w, 0, sizeof *w);
}

static void write_sparse_row(FILE *fp, const float *row, uint32_t cols)
{
    char value[FEAT_VALUE_CHARS];
    for (uint32_t c = 0; c < cols; c++)
        if (row[c] != 0.0f) {
            feat_format_value(value, row[c]);
            fprintf(fp, " %u:%s", (unsigned)c + 1, value);
        }
    fputc('\n', fp);
}

int feat_libsvm_write(feat_libsvm_writer *w, const feat_record *rec, char *err, size_t errlen)
{
    uint64_t nr = ++w->records;
    uint32_t row, col;
    if (!feat_record_finite(rec, &row, &col)) {
        err_set(err, errlen, "record %llu ('%s') has a non-finite value at row %u, column %u",
                (unsigned long long)nr, rec->key, (unsigned)row, (unsigned)col + 1);
        return -1;
    }
    const char *label = rec->label ? rec->label : "";
    size_t id = STRMAP_NONE;
    if (*label) {
        if (w->fixed) {
            id = strmap_find(&w->classes, label);
            if (id == STRMAP_NONE) {
                err_set(err, errlen, "record %llu ('%s') has label '%s', not in the class list",
                        (unsigned long long)nr, rec->key, label);
                return -1;
            }
        } else {
            id = strmap_add(&w->classes, label);
        }
    }
    for (uint32_t r = 0; r < rec->rows; r++) {
        const float *data = rec->data + (size_t)r * rec->cols;
        if (w->fixed) {
            fprintf(w->out, "%zu", id == STRMAP_NONE ? 0 : id + 1);
            write_sparse_row(w->out, data, rec->cols);
            continue;
        }
        if (w->nlines == w->lines_cap) {
            w->lines_cap = cli_grown(w->lines_cap, 1024);
            w->line_class = cli_xreallocarray(w->line_class, w->lines_cap, sizeof *w->line_class);
        }
        w->line_class[w->nlines++] = id;
        write_sparse_row(w->spool, data, rec->cols);
    }
    return 0;
}

int feat_libsvm_finish(feat_libsvm_writer *w, char *err, size_t errlen)
{
    if (w->fixed)
        return 0;
    if (fflush(w->spool) != 0 || ferror(w->spool) || fseek(w->spool, 0, SEEK_SET) != 0) {
        err_set(err, errlen, "temporary file: %s", strerror(errno));
        return -1;
    }
    /* Renumber: the classes were seen in input order, labels follow their names. */
    size_t *rank = strmap_ranks(&w->classes);
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < w->nlines; i++) {
        if (getline(&line, &cap, w->spool) < 0) {
            err_set(err, errlen, "temporary file: cut short");
            rc = -1;
            break;
        }
        size_t id = w->line_class[i];
        fprintf(w->out, "%zu%s", id == STRMAP_NONE ? 0 : rank[id] + 1, line);
    }
    free(line);
    free(rank);
    return rc;
}

const char **feat_libsvm_class_names(const feat_libsvm_writer *w, size_t *n)
{
    const char **names = cli_xmalloc((w->classes.n ? w->classes.n : 1) * sizeof *names);
    size_t *order = NULL;
    if (!w->fixed)
        order = strmap_sorted_ids(&w->classes);
    for (size_t k = 0; k < w->classes.n; k++)
        names[k] = w->classes.names[order ? order[k] : k];
    free(order);
    *n = w->classes.n;
    return names;
}

int feat_libsvm_load_classes(const char *path, strmap *classes, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        err_in(err, errlen, path, "%s", strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long long lineno = 0;
    int rc = 0;
    memset(classes, 0, sizeof *classes);
    bool failed = false;
    while ((len = cli_getline(&line, &cap, fp, &failed)) >= 0) {
        lineno++;
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        const char *why = NULL;
        if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            memmove(line, line + 3, (size_t)len - 2); /* a UTF-8 BOM */
            len -= 3;
        }
        if (len == 0)
            why = "empty class name";
        else if (memchr(line, '\0', (size_t)len) || strchr(line, '\t'))
            why = "a class name with a NUL or TAB";
        else if ((size_t)len > FEAT_MAX_LABEL)
            why = "a class name that is too long";
        else if (strmap_find(classes, line) != STRMAP_NONE)
            why = "a class named twice";
        if (why) {
            err_at_line(err, errlen, path, lineno, "%s", why);
            rc = -1;
            break;
        }
        strmap_add(classes, line);
    }
    if (rc == 0 && (failed || ferror(fp))) {
        err_in(err, errlen, path, "read error at line %llu: %s", lineno + 1, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && classes->n == 0) {
        err_in(err, errlen, path, "no class names");
        rc = -1;
    }
    if (rc != 0)
        strmap_free(classes);
    free(line);
    fclose(fp);
    return rc;
}

/* ---- --info ---- */

void feat_info_add(feat_info *info, const feat_record *rec)
{
    char shape[32];
    info->records++;
    info->rows += rec->rows;
    info->values += (uint64_t)rec->rows * rec->cols;
    snprintf(shape, sizeof shape, "%ux%u", (unsigned)rec->rows, (unsigned)rec->cols);
    strmap_add(&info->shapes, shape);
    if (rec->label && *rec->label)
        strmap_add(&info->labels, rec->label);
    else
        info->unlabelled++;
    strmap_add(&info->metas, rec->meta ? rec->meta : "");
    size_t before = info->keys.n;
    strmap_add(&info->keys, rec->key);
    if (info->keys.n == before)
        info->duplicate_keys++;
    size_t n = (size_t)rec->rows * rec->cols;
    for (size_t i = 0; i < n; i++)
        info->nonfinite += !isfinite(rec->data[i]);
}

void feat_info_print(const feat_info *info, FILE *fp)
{
    fprintf(fp, "records\t%llu\n", (unsigned long long)info->records);
    fprintf(fp, "rows\t%llu\n", (unsigned long long)info->rows);
    fprintf(fp, "values\t%llu\n", (unsigned long long)info->values);
    for (size_t i = 0; i < info->shapes.n; i++)
        fprintf(fp, "shape\t%s\t%zu\n", info->shapes.names[i], info->shapes.counts[i]);
    size_t *sorted = strmap_sorted_ids(&info->labels);
    for (size_t k = 0; k < info->labels.n; k++)
        fprintf(fp, "label\t%s\t%zu\n", info->labels.names[sorted[k]],
                info->labels.counts[sorted[k]]);
    free(sorted);
    fprintf(fp, "unlabelled\t%llu\n", (unsigned long long)info->unlabelled);
    for (size_t i = 0; i < info->metas.n; i++)
        fprintf(fp, "meta\t%s\t%zu\n", info->metas.names[i], info->metas.counts[i]);
    fprintf(fp, "duplicate_keys\t%llu\n", (unsigned long long)info->duplicate_keys);
    fprintf(fp, "nonfinite\t%llu\n", (unsigned long long)info->nonfinite);
}

void feat_info_free(feat_info *info)
{
    strmap_free(&info->shapes);
    strmap_free(&info->labels);
    strmap_free(&info->metas);
    strmap_free(&info->keys);
    memset(info, 0, sizeof *info);
}
