#include "confusion.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

void confusion_init(confusion *c) { *c = (confusion){0}; }

void confusion_free(confusion *c)
{
    for (size_t i = 0; i < c->k; i++)
        free(c->names[i]);
    free(c->names);
    free(c->counts);
    *c = (confusion){0};
}

static long find_class(const confusion *c, const char *name)
{
    for (size_t i = 0; i < c->k; i++)
        if (strcmp(c->names[i], name) == 0)
            return (long)i;
    return -1;
}

long confusion_class(confusion *c, const char *name)
{
    long i = find_class(c, name);
    if (i >= 0)
        return i;
    if (c->k >= CONFUSION_MAX_CLASSES)
        return -1;
    size_t k = c->k + 1;
    size_t *counts = cli_xcalloc(k * k, sizeof *counts);
    for (size_t r = 0; r < c->k; r++)
        memcpy(counts + r * k, c->counts + r * c->k, c->k * sizeof *counts);
    free(c->counts);
    c->counts = counts;
    c->names = cli_xrealloc(c->names, k * sizeof *c->names);
    c->names[c->k] = cli_xstrdup(name);
    c->k = k;
    return (long)(k - 1);
}

int confusion_add(confusion *c, const char *truth, const char *pred)
{
    long t = confusion_class(c, truth);
    long p = t < 0 ? -1 : confusion_class(c, pred);
    if (p < 0)
        return -1;
    c->counts[(size_t)t * c->k + (size_t)p]++;
    c->total++;
    return 0;
}

size_t confusion_row_total(const confusion *c, size_t r)
{
    size_t s = 0;
    for (size_t j = 0; j < c->k; j++)
        s += c->counts[r * c->k + j];
    return s;
}

/* Splits line at tabs in place; returns the number of fields (at most max). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line;;) {
        char *tab = strchr(p, '\t');
        if (n < max)
            fields[n] = p;
        n++;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static void chomp(char *line, ssize_t *len)
{
    while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r'))
        line[--*len] = '\0';
}

int confusion_read_tsv(confusion *c, FILE *fp, char *err, size_t errlen)
{
    char *line = NULL;
    size_t cap = 0;
    char *fields[CONFUSION_MAX_CLASSES + 3];
    size_t nfields = 0, lineno = 0, declared = 0;
    int status = -1;
    for (;;) {
        ssize_t len = getline(&line, &cap, fp);
        if (len < 0)
            break;
        lineno++;
        if ((size_t)len != strlen(line)) {
            snprintf(err, errlen, "line %zu: contains a NUL byte (not a text file?)", lineno);
            goto done;
        }
        chomp(line, &len);
        char *text = line;
        if (lineno == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3;
        if (lineno == 1) {
            nfields = split_tabs(text, fields, sizeof fields / sizeof *fields);
            if (nfields < 4 || strcmp(fields[0], "key") != 0 || strcmp(fields[1], "label") != 0 ||
                strcmp(fields[2], "pred") != 0) {
                snprintf(err, errlen,
                         "line 1: not nnpredict output (expected the header 'key<TAB>label<TAB>pred<TAB>p_CLASS...')");
                goto done;
            }
            if (nfields > sizeof fields / sizeof *fields) {
                snprintf(err, errlen, "line 1: more than %d classes", CONFUSION_MAX_CLASSES);
                goto done;
            }
            for (size_t i = 3; i < nfields; i++) {
                if (strncmp(fields[i], "p_", 2) != 0 || fields[i][2] == '\0') {
                    snprintf(err, errlen, "line 1: column %zu is '%s', expected p_CLASS", i + 1, fields[i]);
                    goto done;
                }
                if (find_class(c, fields[i] + 2) >= 0) {
                    snprintf(err, errlen, "line 1: class '%s' appears twice", fields[i] + 2);
                    goto done;
                }
                confusion_class(c, fields[i] + 2);
            }
            declared = c->k;
            continue;
        }
        if (len == 0 && lineno > 1) {
            snprintf(err, errlen, "line %zu: empty line", lineno);
            goto done;
        }
        size_t n = split_tabs(text, fields, sizeof fields / sizeof *fields);
        if (n != nfields) {
            snprintf(err, errlen, "line %zu: %zu fields, the header has %zu", lineno, n, nfields);
            goto done;
        }
        if (fields[1][0] == '\0') {
            snprintf(err, errlen, "line %zu: record '%s' has no label (a confusion matrix needs the true class)",
                     lineno, fields[0]);
            goto done;
        }
        long p = find_class(c, fields[2]);
        if (p < 0 || (size_t)p >= declared) {
            snprintf(err, errlen, "line %zu: predicted class '%s' is not among the header's classes", lineno,
                     fields[2]);
            goto done;
        }
        if (confusion_add(c, fields[1], fields[2]) != 0) {
            snprintf(err, errlen, "line %zu: more than %d classes", lineno, CONFUSION_MAX_CLASSES);
            goto done;
        }
    }
    if (ferror(fp)) {
        snprintf(err, errlen, "read error after line %zu", lineno);
        goto done;
    }
    if (lineno == 0) {
        snprintf(err, errlen, "empty input (expected nnpredict output with a header)");
        goto done;
    }
    status = 0;
done:
    free(line);
    return status;
}
