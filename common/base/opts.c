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

/* Word INDEX of a list "a|b|c" into buf ("" when there is none). */
static void list_word(const char *list, int index, char *buf, size_t len)
{
    const char *w = list;
    for (int i = 0; i < index && w; i++) {
        w = strchr(w, '|');
        w = w ? w + 1 : NULL;
    }
    buf[0] = '\0';
    if (w && index >= 0)
        snprintf(buf, len, "%.*s", (int)strcspn(w, "|"), w);
}

/* The index of TEXT in a list "a|b|c", or -1. */
static int list_index(const char *list, const char *text)
{
    const char *w = list;
    for (int index = 0; w; index++) {
        size_t n = strcspn(w, "|");
        if (strlen(text) == n && strncmp(w, text, n) == 0)
            return index;
        w = w[n] ? w + n + 1 : NULL;
    }
    return -1;
}

/* "a, b or c" from "a|b|c". */
static void list_sentence(const char *list, char *words, size_t len)
{
    size_t o = 0, count = 1, seen = 0;
    for (const char *p = list; *p; p++)
        count += *p == '|';
    for (const char *p = list; *p && o + 5 < len; p++) {
        if (*p != '|') {
            words[o++] = *p;
            continue;
        }
        seen++;
        const char *sep = seen + 1 == count ? " or " : ", ";
        for (; *sep && o + 1 < len; sep++)
            words[o++] = *sep;
    }
    words[o] = '\0';
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
    case OPTS_CHOICE: list_word(e->choices, *(const int *)e->dest, buf, len); return;
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
        char lo[24], hi[24];
        number_text(e->lo, integer, lo, sizeof lo);
        number_text(e->hi, integer, hi, sizeof hi);
        snprintf(buf, len, "%s%s..%s%s", e->lo_open ? ">" : "", lo, e->hi_open ? "<" : "", hi);
    }
}

/* The defaults as they were before parsing, so that -h after other options still
 * shows them. */
static char (*saved_defaults)[64];

/* "waveform, spectrogram: " for an option of some modes only. */
static void modes_prefix(const opts_spec *spec, unsigned only, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!only || !spec->modes)
        return;
    size_t n = 0;
    for (int i = 0; i < 32 && n < len; i++) {
        if (!(only & OPTS_MODE(i)))
            continue;
        char word[64];
        list_word(spec->modes, i, word, sizeof word);
        n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", word);
    }
    if (n < len)
        snprintf(buf + n, len - n, ": ");
}

static void write_entry(FILE *fp, const opts_spec *spec, const opts_entry *e, const char *def)
{
    char label[96], range[80], type[128], modes[128], summary[480];
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
    modes_prefix(spec, e->only, modes, sizeof modes);
    int n = snprintf(summary, sizeof summary, "%s%s (%s", modes, e->help ? e->help : "", type);
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
    bool sections = false;
    for (const opts_entry *e = spec->options; e->type != OPTS_END_OF_TABLE; e++, i++) {
        if (e->type == OPTS_SECTION) {
            fprintf(fp, "%s:\n", e->help);
            sections = true;
            continue;
        }
        char def[64];
        if (saved_defaults)
            memcpy(def, saved_defaults[i], sizeof def);
        else
            opts_value_text(e, def, sizeof def);
        write_entry(fp, spec, e, def);
    }
    /* Not under the table's last heading, which names something else. */
    if (sections)
        fprintf(fp, "General:\n");
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

bool opts_given(const opts_spec *spec, const char *name)
{
    const opts_entry *e = opts_find(spec, name);
    return e && e->given;
}

/* Calls check(spec, e, NAME) for each name of a list "a,b"; NAME is copied out. */
static void each_name(const opts_spec *spec, const opts_entry *e, const char *list,
                      void (*check)(const opts_spec *, const opts_entry *, const char *))
{
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        check(spec, e, name);
        p += n + (p[n] == ',');
    }
}

/* A rule naming no option of the table is the tool's bug: say so before anything runs. */
static void check_known(const opts_spec *spec, const opts_entry *e, const char *name)
{
    if (!opts_find(spec, name)) {
        fprintf(stderr, "%s: internal error: --%s names '%s', which is not an option\n",
                cli_progname(), e->name, name);
        abort();
    }
}

static void check_needed(const opts_spec *spec, const opts_entry *e, const char *name)
{
    if (!opts_given(spec, name))
        cli_usage_error("--%s needs --%s", e->name, name);
}

static void check_excluded(const opts_spec *spec, const opts_entry *e, const char *name)
{
    if (opts_given(spec, name))
        cli_usage_error("--%s cannot be combined with --%s", e->name, name);
}

/* The table's rules between options, once every option is read. */
static void check_rules(const opts_spec *spec)
{
    for (const opts_entry *e = spec->options; e->type != OPTS_END_OF_TABLE; e++) {
        if (!e->given)
            continue;
        each_name(spec, e, e->excludes, check_excluded);
        each_name(spec, e, e->needs, check_needed);
    }
}

/* Every name a rule gives is an option of the table (checked before any parse). */
static void check_rule_names(const opts_spec *spec)
{
    for (const opts_entry *e = spec->options; e->type != OPTS_END_OF_TABLE; e++) {
        each_name(spec, e, e->excludes, check_known);
        each_name(spec, e, e->needs, check_known);
    }
}

/* argv[1] names the mode: -h and --version are still understood there. */
static void parse_mode(const opts_spec *spec, int argc, char **argv)
{
    char words[256];
    list_sentence(spec->modes, words, sizeof words);
    if (argc < 2)
        cli_usage_error("missing %s (%s)", spec->mode_name, words);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        opts_print_help(spec, stdout);
        exit(CLI_EXIT_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        cli_print_version();
        exit(CLI_EXIT_OK);
    }
    int index = list_index(spec->modes, argv[1]);
    if (index < 0)
        cli_usage_error("unknown %s '%s' (%s)", spec->mode_name, argv[1], words);
    *spec->mode = index;
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
    if (v < e->lo || v > e->hi || (e->lo_open && v == e->lo) || (e->hi_open && v == e->hi)) {
        char range[80], shown[32];
        range_text(e, range, sizeof range);
        number_text(v, integer, shown, sizeof shown);
        cli_usage_error("%s: %s is outside %s", optname, shown, range);
    }
    return v;
}

static void parse_choice(const opts_entry *e, const char *optname, const char *text)
{
    int index = list_index(e->choices, text);
    if (index >= 0) {
        *(int *)e->dest = index;
        return;
    }
    char words[256];
    list_sentence(e->choices, words, sizeof words);
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

static int parse_options(const opts_spec *spec, int argc, char **argv);

/* getopt_long's array while a parse runs: kept here so that a usage error, which
 * exits from anywhere below, leaves nothing unfreed. */
static struct option *longopts;

static void free_parse_state(void)
{
    free(longopts);
    longopts = NULL;
    free(saved_defaults);
    saved_defaults = NULL;
}

int opts_parse(const opts_spec *spec, int argc, char **argv)
{
    check_rule_names(spec);
    if (spec->modes) {
        /* The options follow the mode: parse them as if argv[1] were the program. */
        parse_mode(spec, argc, argv);
        return 1 + parse_options(spec, argc - 1, argv + 1);
    }
    return parse_options(spec, argc, argv);
}

static int parse_options(const opts_spec *spec, int argc, char **argv)
{
    size_t n = 0;
    while (spec->options[n].type != OPTS_END_OF_TABLE)
        n++;
    free_parse_state();
    saved_defaults = cli_xcalloc(n + 1, sizeof *saved_defaults);
    static bool cleanup_registered;
    if (!cleanup_registered)
        atexit(free_parse_state);
    cleanup_registered = true;
    for (size_t i = 0; i < n; i++)
        opts_value_text(&spec->options[i], saved_defaults[i], sizeof saved_defaults[i]);

    longopts = cli_xcalloc(n + 3, sizeof *longopts);
    /* ':' first: a missing argument is reported as such, by us, once. */
    char shortopts[128] = ":h";
    size_t nlong = 0, ns = strlen(shortopts);
    for (size_t i = 0; i < n; i++) {
        const opts_entry *e = &spec->options[i];
        if (e->type == OPTS_SECTION)
            continue;
        longopts[nlong++] =
            (struct option){e->name, takes_argument(e) ? required_argument : no_argument, NULL,
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
    optind = 0; /* a fresh scan (glibc, musl), also when a program parses twice */
    int c, index;
    while ((c = getopt_long(argc, argv, shortopts, longopts, &index)) != -1) {
        if (c == OPT_ID_HELP) {
            opts_print_help(spec, stdout);
            exit(CLI_EXIT_OK);
        }
        if (c == OPT_ID_VERSION) {
            cli_print_version();
            exit(CLI_EXIT_OK);
        }
        if (c == ':' || c == '?') {
            const char *what = argv[optind - 1];
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
        if (!e)
            continue;
        if (spec->modes && e->only && !(e->only & OPTS_MODE(*spec->mode))) {
            char mode[64];
            list_word(spec->modes, *spec->mode, mode, sizeof mode);
            cli_usage_error("--%s does not apply to %s", e->name, mode);
        }
        store_value(e, optarg);
    }
    free(longopts);
    longopts = NULL;
    check_rules(spec);
    return optind;
}
