#include "nn/archspec.h"

#include "base/err.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi || s[0] == '+' || s[0] == ' ')
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_term(char *t, arch_term *term, char *err, size_t errlen)
{
    char *arg = strchr(t, ':');
    if (arg)
        *arg++ = '\0';
    char *arg2 = arg ? strchr(arg, ':') : NULL;
    if (arg2)
        *arg2++ = '\0';
    memset(term, 0, sizeof *term);
    const char *want = NULL; /* the form expected, for the message */
    if (strcmp(t, "dense") == 0) {
        term->kind = NN_DENSE;
        want = "dense:N with N in 1..65536";
        if (arg && !arg2 && parse_int(arg, 1, 65536, &term->units) == 0)
            return 0;
    } else if (strcmp(t, "relu") == 0) {
        term->kind = NN_RELU;
        want = "relu";
        if (!arg)
            return 0;
    } else if (strcmp(t, "dropout") == 0) {
        term->kind = NN_DROPOUT;
        want = "dropout:R with R in [0, 1)";
        char *end;
        if (arg && !arg2) {
            errno = 0;
            double r = strtod(arg, &end);
            if (!errno && end != arg && !*end && r >= 0 && r < 1) {
                term->rate = r;
                return 0;
            }
        }
    } else if (strcmp(t, "conv") == 0) {
        term->kind = NN_CONV1D;
        want = "conv:F:W with F filters in 1..4096 and width W in 1..4096";
        if (arg && arg2 && !strchr(arg2, ':') && parse_int(arg, 1, 4096, &term->units) == 0 &&
            parse_int(arg2, 1, 4096, &term->width) == 0)
            return 0;
    } else if (strcmp(t, "maxpool") == 0) {
        term->kind = NN_MAXPOOL1D;
        want = "maxpool:P with P in 1..4096";
        if (arg && !arg2 && parse_int(arg, 1, 4096, &term->width) == 0)
            return 0;
    } else if (strcmp(t, "flatten") == 0) {
        term->kind = NN_FLATTEN;
        want = "flatten";
        if (!arg)
            return 0;
    }
    if (arg2)
        arg2[-1] = ':';
    if (arg)
        arg[-1] = ':';
    if (want)
        err_set(err, errlen, "bad term '%s' (expected %s)", t, want);
    else
        err_set(err, errlen,
                "unknown term '%s' (known: dense:N, relu, dropout:R, conv:F:W, maxpool:P, "
                "flatten, or the names ann, cnn)",
                t);
    return -1;
}

int arch_parse(const char *text, arch_spec *spec, char *err, size_t errlen)
{
    memset(spec, 0, sizeof *spec);
    if (strcmp(text, "ann") == 0)
        text = ARCH_ANN;
    else if (strcmp(text, "cnn") == 0)
        text = ARCH_CNN;
    if (!*text)
        return 0;
    char *copy = cli_xstrdup(text);
    size_t cap = 1;
    for (const char *p = text; *p; ++p)
        cap += *p == ',';
    spec->terms = cli_xcalloc(cap, sizeof *spec->terms);
    char *save = copy;
    for (;;) {
        char *comma = strchr(save, ',');
        if (comma)
            *comma = '\0';
        if (!*save) {
            err_set(err, errlen, "empty term in '%s'", text);
            goto fail;
        }
        if (parse_term(save, &spec->terms[spec->n], err, errlen) < 0)
            goto fail;
        spec->n++;
        if (!comma)
            break;
        save = comma + 1;
    }
    free(copy);
    return 0;
fail:
    free(copy);
    arch_free(spec);
    return -1;
}

char *arch_format(const arch_spec *spec)
{
    size_t cap = 64 + (size_t)spec->n * 48, len = 0;
    char *s = cli_xmalloc(cap);
    s[0] = '\0';
    for (int i = 0; i < spec->n; ++i) {
        const arch_term *t = &spec->terms[i];
        const char *sep = i ? "," : "";
        int w = 0;
        switch (t->kind) {
        case NN_DENSE: w = snprintf(s + len, cap - len, "%sdense:%d", sep, t->units); break;
        case NN_RELU: w = snprintf(s + len, cap - len, "%srelu", sep); break;
        case NN_DROPOUT: {
            /* The shortest form that reads back as the same double. */
            char num[32];
            for (int prec = 6; prec <= 17; ++prec) {
                snprintf(num, sizeof num, "%.*g", prec, t->rate);
                if (strtod(num, NULL) == t->rate)
                    break;
            }
            w = snprintf(s + len, cap - len, "%sdropout:%s", sep, num);
            break;
        }
        case NN_CONV1D:
            w = snprintf(s + len, cap - len, "%sconv:%d:%d", sep, t->units, t->width);
            break;
        case NN_MAXPOOL1D: w = snprintf(s + len, cap - len, "%smaxpool:%d", sep, t->width); break;
        case NN_FLATTEN: w = snprintf(s + len, cap - len, "%sflatten", sep); break;
        }
        len += (size_t)w;
    }
    return s;
}

void arch_free(arch_spec *spec)
{
    free(spec->terms);
    memset(spec, 0, sizeof *spec);
}
