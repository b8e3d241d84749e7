#include "base/opts.h"

#include "base/cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_ID_BASE = 256, OPT_ID_HELP = 'h', OPT_ID_VERSION = 255 };

#define HELP_COLUMN 22
#define HELP_WIDTH 79

static bool takes_argument(const opts_entry *e) { return e->type != OPTS_FLAG; }

static const char *type_word(const opts_entry *e)
{
    switch (e->type) {
    case OPTS_FLAG: return "flag";
    case OPTS_INT:
    case OPTS_LONG: return "int";
    case OPTS_REAL: return e->integer ? "int" : "real";
    case OPTS_TEXT: return "text";
    case OPTS_FILE: return "file";
    case OPTS_CHOICE: return e->choices;
    case OPTS_CALL: return e->arg_type ? e->arg_type : "text";
    default: return "";
    }
}

static const char *arg_name(const opts_entry *e)
{
    if (e->arg)
        return e->arg;
    switch (e->type) {
    case OPTS_INT:
    case OPTS_LONG: return "N";
    case OPTS_REAL: return "X";
    case OPTS_FILE: return "FILE";
    case OPTS_CHOICE: return "WORD";
    default: return "TEXT";
    }
}

static void number_text(double v, bool integer, char *buf, size_t len)
{
    if (integer || (v == floor(v) && fabs(v) < 1e15))
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%g", v);
}

void opts_value_text(const opts_entry *e, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!e->dest)
        return;
    double v = 0;
    switch (e->type) {
    case OPTS_FLAG: snprintf(buf, len, "%s", *(const bool *)e->dest ? "on" : "off"); return;
    case OPTS_INT: v = *(const int *)e->dest; break;
    case OPTS_LONG: v = (double)*(const long *)e->dest; break;
    case OPTS_REAL: v = *(const double *)e->dest; break;
    case OPTS_TEXT:
    case OPTS_FILE: {
        const char *s = *(const char *const *)e->dest;
        snprintf(buf, len, "%s", s ? s : "");
        return;
    }
    case OPTS_CHOICE: {
        int index = *(const int *)e->dest;
        const char *w = e->choices;
        for (int i = 0; i < index && w; i++) {
            w = strchr(w, '|');
            w = w ? w + 1 : NULL;
        }
        if (w) {
            size_t n = strcspn(w, "|");
            snprintf(buf, len, "%.*s", (int)n, w);
        }
        return;
    }
    default: return;
    }
    if (e->special && v == e->special_value)
        snprintf(buf, len, "%s", e->special);
    else
        number_text(v, e->type != OPTS_REAL || e->integer, buf, len);
}

/* "-j, --jobs N" or "    --csv FILE". */
static void option_label(const opts_entry *e, char *buf, size_t len)
{
    int n = e->short_name ? snprintf(buf, len, "-%c, --%s", e->short_name, e->name)
                          : snprintf(buf, len, "--%s", e->name);
    if (takes_argument(e) && n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " %s", arg_name(e));
}

/* Writes TEXT from column `indent` (the cursor is at column `at`), folding at word
 * boundaries before HELP_WIDTH. */
static void write_folded(FILE *fp, const char *text, int at, int indent)
{
    int col = at;
    const char *p = text;
    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > indent && col + 1 + (int)word > HELP_WIDTH) {
            fprintf(fp, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', fp);
            col++;
        }
        fprintf(fp, "%.*s", (int)word, p);
        col += (int)word;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', fp);
}

static void range_text(const opts_entry *e, char *buf, size_t len)
{
    buf[0] = '\0';
    if (e->range) {
        snprintf(buf, len, "%s", e->range);
    } else if (e->type == OPTS_INT || e->type == OPTS_LONG || e->type == OPTS_REAL) {
        bool integer = e->type != OPTS_REAL || e->integer;
        number_text(e->lo, integer, buf, len);
        size_t n = strlen(buf);
        if (n + 2 < len) {
            memcpy(buf + n, "..", 3);
            number_text(e->hi, integer, buf + n + 2, len - n - 2);
        }
    }
}

/* The defaults as they were before parsing, so that -h after other options still
 * shows them. */
static char (*saved_defaults)[64];

static void write_entry(FILE *fp, const opts_entry *e, const char *def)
{
    char label[96], range[64], type[128], summary[320];
    option_label(e, label, sizeof label);
    fprintf(fp, "  %s", label);
    int col = 2 + (int)strlen(label);
    if (col >= HELP_COLUMN - 1) {
        fprintf(fp, "\n%*s", HELP_COLUMN, "");
    } else {
        fprintf(fp, "%*s", HELP_COLUMN - col, "");
    }
    range_text(e, range, sizeof range);
    if (e->special && (e->type == OPTS_INT || e->type == OPTS_LONG || e->type == OPTS_REAL))
        snprintf(type, sizeof type, "%s|%s", type_word(e), e->special);
    else
        snprintf(type, sizeof type, "%s", type_word(e));
    const char *shown_default = e->def ? e->def : def;
    int n = snprintf(summary, sizeof summary, "%s (%s", e->help ? e->help : "", type);
    if (shown_default && *shown_default)
        n += snprintf(summary + n, sizeof summary - (size_t)n, ", %s", shown_default);
    if (*range)
        n += snprintf(summary + n, sizeof summary - (size_t)n, ", %s", range);
    snprintf(summary + n, sizeof summary - (size_t)n, ")");
    write_folded(fp, summary, HELP_COLUMN, HELP_COLUMN);
}

void opts_print_help(const opts_spec *spec, FILE *fp)
{
    fputs(spec->usage, fp);
    size_t i = 0;
    for (const opts_entry *e = spec->options; e->type != OPTS_END_OF_TABLE; e++, i++) {
        if (e->type == OPTS_SECTION) {
            fprintf(fp, "%s:\n", e->help);
            continue;
        }
        char def[64];
        if (saved_defaults)
            memcpy(def, saved_defaults[i], sizeof def);
        else
            opts_value_text(e, def, sizeof def);
        write_entry(fp, e, def);
    }
    fprintf(fp, "  -h, --help          show this help and exit\n");
    fprintf(fp, "  --version           show the version and exit\n");
    if (spec->footer) {
        fputc('\n', fp);
        fputs(spec->footer, fp);
    }
}

opts_entry *opts_find(const opts_spec *spec, const char *name)
{
    for (opts_entry *e = spec->options; e->type != OPTS_END_OF_TABLE; e++)
        if (e->type != OPTS_SECTION && strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static double parse_number(const opts_entry *e, const char *optname, const char *text)
{
    if (e->special && strcmp(text, e->special) == 0)
        return e->special_value;
    char *end;
    errno = 0;
    double v;
    bool integer = e->type != OPTS_REAL || e->integer;
    if (integer) {
        long l = strtol(text, &end, 10);
        if (errno || end == text || *end != '\0')
            cli_usage_error("%s: '%s' is not an integer", optname, text);
        v = (double)l;
    } else {
        v = strtod(text, &end);
        if (errno || end == text || *end != '\0' || !isfinite(v))
            cli_usage_error("%s: '%s' is not a number", optname, text);
    }
    if (v < e->lo || v > e->hi) {
        char range[64], shown[32];
        range_text(e, range, sizeof range);
        number_text(v, integer, shown, sizeof shown);
        cli_usage_error("%s: %s is outside %s", optname, shown, range);
    }
    return v;
}

static void parse_choice(const opts_entry *e, const char *optname, const char *text)
{
    const char *w = e->choices;
    for (int index = 0; w; index++) {
        size_t n = strcspn(w, "|");
        if (strlen(text) == n && strncmp(w, text, n) == 0) {
            *(int *)e->dest = index;
            return;
        }
        w = w[n] ? w + n + 1 : NULL;
    }
    /* "'x' is not a, b or c": the words of the list, as a sentence. */
    char words[256];
    size_t o = 0;
    size_t count = 1;
    for (const char *p = e->choices; *p; p++)
        count += *p == '|';
    size_t seen = 0;
    for (const char *p = e->choices; *p && o + 5 < sizeof words; p++) {
        if (*p != '|') {
            words[o++] = *p;
            continue;
        }
        seen++;
        const char *sep = seen + 1 == count ? " or " : ", ";
        for (; *sep && o + 1 < sizeof words; sep++)
            words[o++] = *sep;
    }
    words[o] = '\0';
    cli_usage_error("%s: '%s' is not %s", optname, text, words);
}

static void store_value(opts_entry *e, const char *arg)
{
    char optname[80];
    snprintf(optname, sizeof optname, "--%s", e->name);
    switch (e->type) {
    case OPTS_FLAG: *(bool *)e->dest = true; break;
    case OPTS_INT: *(int *)e->dest = (int)parse_number(e, optname, arg); break;
    case OPTS_LONG: *(long *)e->dest = (long)parse_number(e, optname, arg); break;
    case OPTS_REAL: *(double *)e->dest = parse_number(e, optname, arg); break;
    case OPTS_TEXT:
    case OPTS_FILE: *(const char **)e->dest = arg; break;
    case OPTS_CHOICE: parse_choice(e, optname, arg); break;
    case OPTS_CALL:
        if (e->call(arg, e->ctx) != 0)
            exit(CLI_EXIT_USAGE);
        break;
    default: break;
    }
    e->given = true;
}

static void free_saved_defaults(void)
{
    free(saved_defaults);
    saved_defaults = NULL;
}

int opts_parse(const opts_spec *spec, int argc, char **argv)
{
    size_t n = 0;
    while (spec->options[n].type != OPTS_END_OF_TABLE)
        n++;
    free_saved_defaults();
    saved_defaults = cli_xcalloc(n + 1, sizeof *saved_defaults);
    atexit(free_saved_defaults);
    for (size_t i = 0; i < n; i++)
        opts_value_text(&spec->options[i], saved_defaults[i], sizeof saved_defaults[i]);

    struct option *longopts = cli_xcalloc(n + 3, sizeof *longopts);
    /* ':' first: a missing argument is reported as such, by us, once. */
    char shortopts[128] = ":h";
    size_t nlong = 0, ns = strlen(shortopts);
    for (size_t i = 0; i < n; i++) {
        const opts_entry *e = &spec->options[i];
        if (e->type == OPTS_SECTION)
            continue;
        longopts[nlong++] = (struct option){e->name, takes_argument(e) ? required_argument : no_argument, NULL,
                                            OPT_ID_BASE + (int)i};
        if (e->short_name && ns + 3 < sizeof shortopts) {
            shortopts[ns++] = (char)e->short_name;
            if (takes_argument(e))
                shortopts[ns++] = ':';
            shortopts[ns] = '\0';
        }
    }
    longopts[nlong++] = (struct option){"help", no_argument, NULL, OPT_ID_HELP};
    longopts[nlong++] = (struct option){"version", no_argument, NULL, OPT_ID_VERSION};

    opterr = 0; /* getopt's own message would come before ours: say it once */
    int c, index;
    while ((c = getopt_long(argc, argv, shortopts, longopts, &index)) != -1) {
        if (c == OPT_ID_HELP) {
            opts_print_help(spec, stdout);
            free(longopts);
            exit(CLI_EXIT_OK);
        }
        if (c == OPT_ID_VERSION) {
            cli_print_version();
            free(longopts);
            exit(CLI_EXIT_OK);
        }
        if (c == ':' || c == '?') {
            const char *what = argv[optind - 1];
            free(longopts);
            if (c == ':')
                cli_usage_error("option '%s' needs an argument", what);
            if (optopt && optopt < OPT_ID_BASE && optopt != OPT_ID_VERSION && optopt != ':')
                cli_usage_error("unknown option '-%c'", optopt);
            cli_usage_error("unknown option '%s'", what);
        }
        opts_entry *e = NULL;
        if (c >= OPT_ID_BASE) {
            e = &spec->options[c - OPT_ID_BASE];
        } else {
            for (size_t i = 0; i < n && !e; i++)
                if (spec->options[i].short_name == c && spec->options[i].type != OPTS_SECTION)
                    e = &spec->options[i];
        }
        if (e)
            store_value(e, optarg);
    }
    free(longopts);
    return optind;
}
