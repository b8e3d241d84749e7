/* opts.h - a tool's options, each declared once in a table: name, argument type,
 * destination, default, range and help line. The getopt_long array, the range
 * checks and the -h text are all made from that table, so they cannot disagree.
 *
 *     static opts_entry options[] = {
 *         OPTS_SECTION("Features"),
 *         {.name = "n-mfcc", .type = OPTS_INT, .dest = &cfg.n_mfcc, .arg = "N",
 *          .lo = 1, .hi = 1024, .range = "1..n-mels", .help = "coefficients kept"},
 *         ...
 *         OPTS_END,
 *     };
 *     static const opts_spec spec = {.usage = "...", .options = options, .footer = "..."};
 *     int first = opts_parse(&spec, argc, argv);   // operands are argv[first..argc-1]
 *
 * Type words in -h, the same in every tool: flag, int, real, text, file, and a choice
 * list such as mean|meanstd|none. Defaults shown in -h are read from the destination
 * as it is before opts_parse, unless the entry gives .def (for computed defaults such
 * as "sr/2"). -h/--help and --version are added by opts_parse.
 *
 * Rules between options are declared in the table too: .needs = "libsvm" (the option
 * needs each listed option), .excludes = "csv,libsvm" (it cannot be combined with any
 * of them). A tool with subcommands (plotdata KIND) names them in the spec's .modes;
 * an entry's .only restricts it to some of them (OPTS_MODE(i) bits). */
#ifndef SENTIO_OPTS_H
#define SENTIO_OPTS_H

#include <stdbool.h>
#include <stdio.h>

typedef enum {
    OPTS_END_OF_TABLE = 0,
    OPTS_FLAG,    /* no argument: *(bool *)dest = true */
    OPTS_INT,     /* an integer in [lo, hi]: *(int *)dest */
    OPTS_LONG,    /* an integer in [lo, hi]: *(long *)dest */
    OPTS_REAL,    /* a finite number in [lo, hi]: *(double *)dest */
    OPTS_TEXT,    /* any text: *(const char **)dest */
    OPTS_FILE,    /* a path, '-' for stdin/stdout where the help says so: *(const char **)dest */
    OPTS_CHOICE,  /* one word of .choices ("a|b|c"): *(int *)dest = its index */
    OPTS_CALL,    /* .call(arg, .ctx) for repeatable or composite options; .arg_type names
                     the argument's type in -h (e.g. "text") */
    OPTS_SECTION, /* not an option: a heading in -h (.help is its text) */
} opts_type;

typedef struct opts_entry {
    const char *name; /* long name without "--" */
    int short_name;   /* e.g. 'j', or 0 */
    opts_type type;
    void *dest;
    const char *arg;       /* the argument's name in -h: "N", "FILE"... (a default by type) */
    const char *def;       /* the default as -h shows it, when the destination's value is not it */
    double lo, hi;         /* range of OPTS_INT, OPTS_LONG, OPTS_REAL */
    bool lo_open, hi_open; /* the bound itself is outside: shown as ">0" or "<1" */
    bool integer; /* OPTS_REAL: only whole numbers (shown as int), e.g. a rate kept as double */
    const char *range;    /* -h's range text when lo..hi is not the whole story ("1..n-mels") */
    const char *special;  /* a word accepted instead of a number, e.g. "native" or "none"... */
    double special_value; /* ...which stores this value */
    const char *choices;  /* OPTS_CHOICE: "mean|meanstd|none" */
    int (*call)(const char *arg, void *ctx); /* OPTS_CALL: 0, or -1 after cli_usage_error */
    void *ctx;
    const char *arg_type; /* OPTS_CALL: the type word shown in -h */
    const char *help;
    const char *needs;    /* "a,b": long names this option needs (each must be given too) */
    const char *excludes; /* "a,b": long names this option cannot be combined with */
    unsigned only;        /* OPTS_MODE bits of the modes it applies to; 0: every mode */
    bool given;           /* set by opts_parse when the option was on the command line */
} opts_entry;

#define OPTS_SECTION(title)                   \
    {                                         \
        .type = OPTS_SECTION, .help = (title) \
    }
#define OPTS_END                  \
    {                             \
        .type = OPTS_END_OF_TABLE \
    }
#define OPTS_MODE(index) (1u << (index))
/* The -o FILE row of a tool writing stdout or FILE through base/outfile.h; var is
 * its const char * (NULL before parsing: stdout). */
#define OPTS_OUTPUT(var)                                                                         \
    {                                                                                            \
        .name = "output", .short_name = 'o', .type = OPTS_FILE, .dest = &(var), .def = "stdout", \
        .help = "write FILE (atomically) instead of stdout"                                      \
    }
/* The -o MODEL row of a tool that trains a model (its main checks that it was given). */
#define OPTS_MODEL_OUTPUT(var)                                                                     \
    {                                                                                              \
        .name = "output", .short_name = 'o', .type = OPTS_FILE, .dest = &(var), .def = "required", \
        .help = "model file to write ('-' is stdout)"                                              \
    }

typedef struct {
    const char *usage;   /* "Usage: ..." lines and the description, ending in "\n" */
    opts_entry *options; /* ends with OPTS_END */
    const char *footer;  /* exit status, examples, "See also", ending in "\n" */
    /* Subcommands: "waveform|spectrogram|..." named by argv[1], before the options;
     * its index goes to *mode. mode_name ("KIND") names it in messages. */
    const char *modes;
    const char *mode_name;
    int *mode;
} opts_spec;

/* Parses argv by spec: stores each option's value in its destination and marks it
 * given; exits 2 with a message naming the option on a bad value, an unknown option,
 * a missing argument, an option of another mode, or a broken .needs/.excludes rule;
 * prints -h or --version and exits 0. Returns the index of the first operand. */
int opts_parse(const opts_spec *spec, int argc, char **argv);

/* The -h text: usage, the options by section with "(type, default, range)", footer. */
void opts_print_help(const opts_spec *spec, FILE *fp);

/* The entry named NAME (long name), or NULL. */
opts_entry *opts_find(const opts_spec *spec, const char *name);
/* Whether the option named NAME was given (false for an unknown name). */
bool opts_given(const opts_spec *spec, const char *name);

/* The current value of an option with a destination, as text ("true", "22050",
 * "meanstd", ...), into buf; "" for OPTS_CALL and sections. */
void opts_value_text(const opts_entry *e, char *buf, size_t len);

#endif
