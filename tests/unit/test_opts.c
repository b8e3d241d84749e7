/* The option table (base/opts.h): values of every type land in their destinations,
 * ranges, specials, choices and rules between options are enforced with exit 2 and
 * one message, -h shows each option with its type, default and range, and the
 * defaults -h shows are those from before parsing. Failing parses run in a child
 * process whose exit status and output are checked. */
#include "base/cli.h"
#include "base/opts.h"
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The table under test; reset() restores its defaults before each parse. */
static bool flag;
static int count, choice, mode;
static long big;
static double rate, share;
static const char *name, *path;
static int ncalls;
static char called[3][32];

static int remember(const char *arg, void *ctx)
{
    (void)ctx;
    if (strcmp(arg, "bad") == 0)
        cli_usage_error("--item: '%s' is refused", arg);
    if (ncalls < 3)
        snprintf(called[ncalls], sizeof called[ncalls], "%s", arg);
    ncalls++;
    return 0;
}

static opts_entry options[] = {
    OPTS_SECTION("Things"),
    {.name = "flag", .short_name = 'f', .type = OPTS_FLAG, .dest = &flag, .help = "a flag"},
    {.name = "count",
     .short_name = 'n',
     .type = OPTS_INT,
     .dest = &count,
     .lo = 1,
     .hi = 10,
     .help = "a count"},
    {.name = "big", .type = OPTS_LONG, .dest = &big, .lo = 0, .hi = 4294967295.0, .help = "a long"},
    {.name = "rate",
     .type = OPTS_REAL,
     .dest = &rate,
     .lo = 1,
     .hi = 1000,
     .special = "native",
     .special_value = 0,
     .integer = true,
     .help = "a rate",
     .only = OPTS_MODE(0)},
    {.name = "share",
     .type = OPTS_REAL,
     .dest = &share,
     .lo = 0,
     .lo_open = true,
     .hi = 1,
     .hi_open = true,
     .help = "a share"},
    {.name = "name", .type = OPTS_TEXT, .dest = &name, .arg = "NAME", .help = "a name"},
    {.name = "path",
     .short_name = 'o',
     .type = OPTS_FILE,
     .dest = &path,
     .def = "stdout",
     .needs = "name",
     .help = "a path"},
    {.name = "choice",
     .type = OPTS_CHOICE,
     .dest = &choice,
     .choices = "mean|meanstd|none",
     .excludes = "flag",
     .help = "a choice"},
    {.name = "item",
     .type = OPTS_CALL,
     .call = remember,
     .arg = "KEY=VALUE",
     .arg_type = "text",
     .help = "repeatable"},
    OPTS_END,
};

static opts_spec spec = {.usage = "Usage: t [options] [FILE ...]\n\n",
                         .options = options,
                         .footer = "See also: nothing(1)\n"};

static void reset(void)
{
    flag = false;
    count = 5;
    big = 42;
    rate = 22050 / 100;
    share = 0.25;
    name = NULL;
    path = NULL;
    choice = 1;
    ncalls = 0;
    spec.modes = NULL;
    for (opts_entry *e = options; e->type != OPTS_END_OF_TABLE; e++)
        e->given = false;
}

/* argv from a space-separated line (at most 32 words of at most 63 characters). */
typedef struct {
    char words[32][64];
    char *argv[33];
    int argc;
} args;

static void split(args *a, const char *line)
{
    a->argc = 0;
    for (const char *p = line; *p && a->argc < 32;) {
        size_t n = strcspn(p, " ");
        snprintf(a->words[a->argc], sizeof a->words[0], "%.*s", (int)n, p);
        a->argv[a->argc] = a->words[a->argc];
        a->argc++;
        p += n;
        while (*p == ' ')
            p++;
    }
    a->argv[a->argc] = NULL;
}

typedef struct {
    const char *line;
    bool with_modes;
} parse_job;

static void parse_job_run(void *arg)
{
    const parse_job *j = arg;
    reset();
    if (j->with_modes) {
        spec.modes = "waveform|spectrogram";
        spec.mode_name = "KIND";
        spec.mode = &mode;
    }
    args a;
    split(&a, j->line);
    opts_parse(&spec, a.argc, a.argv);
}

/* Parses LINE in a child: its exit status (0 when opts_parse returned) and its
 * stdout and stderr, together, in out. */
static int parse_in_child(const char *line, bool with_modes, char *out, size_t len)
{
    parse_job j = {line, with_modes};
    return unit_in_child(parse_job_run, &j, out, len);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void check_fails(const char *line, const char *message)
{
    char out[4096], what[256];
    int status = parse_in_child(line, false, out, sizeof out);
    snprintf(what, sizeof what, "'%s' exits 2 saying \"%s\"", line, message);
    if (!CHECK(status == CLI_EXIT_USAGE && strstr(out, message) &&
                   strstr(out, "Try 'test_opts --help'"),
               what))
        printf("#   status %d, output: %s\n", status, out);
}

static void test_values(void)
{
    reset();
    args a;
    split(&a, "t one --count 7 -f --big 4294967295 two --rate native --share 0.5 --name x "
              "-o out --item a=1 --item b=2 -- --three");
    /* --choice is left at its default; --rate's special word stores its value. */
    int first = opts_parse(&spec, a.argc, a.argv);
    CHECK(count == 7 && flag && big == 4294967295L, "int, flag (short) and long values are stored");
    CHECK(rate == 0 && share == 0.5, "a special word stores its value; a real is stored");
    CHECK(name && strcmp(name, "x") == 0 && path && strcmp(path, "out") == 0,
          "text and file values point at their arguments");
    CHECK(ncalls == 2 && strcmp(called[0], "a=1") == 0 && strcmp(called[1], "b=2") == 0,
          "a repeatable option calls its handler each time, in order");
    CHECK(choice == 1, "an option not given keeps its default");
    CHECK(a.argc - first == 3 && strcmp(a.argv[first], "one") == 0 &&
              strcmp(a.argv[first + 1], "two") == 0 && strcmp(a.argv[first + 2], "--three") == 0,
          "operands follow the options, in order, '--' ends the options");
    CHECK(opts_given(&spec, "count") && opts_given(&spec, "item") && !opts_given(&spec, "choice") &&
              !opts_given(&spec, "nosuch"),
          "opts_given tells which options were given");

    reset();
    split(&a, "t --choice none --count=3");
    opts_parse(&spec, a.argc, a.argv);
    char text[64];
    opts_value_text(opts_find(&spec, "choice"), text, sizeof text);
    CHECK(choice == 2 && strcmp(text, "none") == 0,
          "a choice stores its index; its text is the word");
    CHECK(count == 3, "--name=value is understood");
}

static void test_errors(void)
{
    check_fails("t --count 0", "--count: 0 is outside 1..10");
    check_fails("t --count 11", "--count: 11 is outside 1..10");
    check_fails("t -n x", "--count: 'x' is not an integer");
    check_fails("t --count 2.5", "--count: '2.5' is not an integer");
    check_fails("t --big -1", "--big: -1 is outside 0..4294967295");
    check_fails("t --share 0", "--share: 0 is outside >0..<1");
    check_fails("t --share 1", "--share: 1 is outside >0..<1");
    check_fails("t --share nan", "--share: 'nan' is not a number");
    check_fails("t --rate fast", "--rate: 'fast' is not an integer");
    check_fails("t --choice max", "--choice: 'max' is not mean, meanstd or none");
    check_fails("t --item bad", "--item: 'bad' is refused");
    check_fails("t --path p", "--path needs --name");
    check_fails("t --choice mean -f", "--choice cannot be combined with --flag");
    check_fails("t --count", "option '--count' needs an argument");

    char out[4096];
    int status = parse_in_child("t --bogus", false, out, sizeof out);
    CHECK(status == 2 && strncmp(out, "test_opts: unknown option '--bogus'\n", 36) == 0 &&
              count_lines(out) == 2,
          "an unknown option is reported once, then the hint");
    status = parse_in_child("t -z", false, out, sizeof out);
    CHECK(status == 2 && strstr(out, "unknown option '-z'") && count_lines(out) == 2,
          "an unknown short option is reported once");
}

static void test_help(void)
{
    char out[8192];
    /* Options given before -h do not change the defaults it shows. */
    int status =
        parse_in_child("t --count 9 --choice none --share 0.75 -h", false, out, sizeof out);
    CHECK(status == 0 && strncmp(out, "Usage: t [options]", 18) == 0,
          "-h prints the usage and exits 0");
    CHECK(strstr(out, "Things:\n") != NULL, "a section is a heading");
    CHECK(strstr(out, "  -f, --flag ") && strstr(out, "a flag (flag, off)"),
          "a flag: its type and default");
    CHECK(strstr(out, "  -n, --count N ") && strstr(out, "a count (int, 5, 1..10)"),
          "an int: the default from before parsing, the range");
    CHECK(strstr(out, "a long (int, 42, 0..4294967295)") != NULL, "a long is an int");
    CHECK(strstr(out, "a rate (int|native, 220, 1..1000)") != NULL,
          "a special word is part of the type");
    CHECK(strstr(out, "a share (real, 0.25, >0..<1)") != NULL, "a real, with open bounds");
    CHECK(strstr(out, "--name NAME ") && strstr(out, "a name (text)"), "a text with no default");
    CHECK(strstr(out, "-o, --path FILE") && strstr(out, "a path (file, stdout)"),
          "a file, with a default given as text");
    CHECK(strstr(out, "a choice (mean|meanstd|none, meanstd)") != NULL, "a choice lists its words");
    CHECK(strstr(out, "--item KEY=VALUE") && strstr(out, "repeatable (text)"),
          "a handler option shows its argument's type");
    CHECK(strstr(out, "  -h, --help") && strstr(out, "  --version"), "-h and --version are listed");
    CHECK(strstr(out, "\nSee also: nothing(1)\n") != NULL, "the footer ends the help");
}

static void test_modes(void)
{
    char out[8192];
    int status = parse_in_child("t waveform --rate 100", true, out, sizeof out);
    CHECK(status == 0 && out[0] == '\0', "an option of the mode given is accepted");
    status = parse_in_child("t spectrogram --rate 100", true, out, sizeof out);
    CHECK(status == 2 && strstr(out, "--rate does not apply to spectrogram"),
          "an option of another mode is refused, naming the mode");
    status = parse_in_child("t", true, out, sizeof out);
    CHECK(status == 2 && strstr(out, "missing KIND (waveform or spectrogram)"), "a missing mode");
    status = parse_in_child("t histogram", true, out, sizeof out);
    CHECK(status == 2 && strstr(out, "unknown KIND 'histogram' (waveform or spectrogram)"),
          "an unknown mode");
    status = parse_in_child("t spectrogram -h", true, out, sizeof out);
    CHECK(status == 0 && strstr(out, "waveform: a rate (int|native"),
          "-h after the mode; an option of some modes says which");
    status = parse_in_child("t --help", true, out, sizeof out);
    CHECK(status == 0 && strncmp(out, "Usage:", 6) == 0, "-h in place of the mode");

    reset();
    spec.modes = "waveform|spectrogram";
    spec.mode_name = "KIND";
    spec.mode = &mode;
    args a;
    split(&a, "t spectrogram in.wav --count 2 out.wav");
    int first = opts_parse(&spec, a.argc, a.argv);
    CHECK(mode == 1 && count == 2 && a.argc - first == 2 && strcmp(a.argv[first], "in.wav") == 0 &&
              strcmp(a.argv[first + 1], "out.wav") == 0,
          "the mode's index is stored; operands follow it");
    spec.modes = NULL;
}

/* A rule that names no option of its table stops the program before parsing. */
static void test_bad_rule(void)
{
    static bool x;
    static opts_entry bad[] = {
        {.name = "x", .type = OPTS_FLAG, .dest = &x, .needs = "nosuch", .help = "x"},
        OPTS_END,
    };
    static const opts_spec bad_spec = {.usage = "Usage: t\n", .options = bad};
    int fd[2];
    if (pipe(fd) != 0)
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDERR_FILENO);
        char *argv[] = {"t", "-h", NULL};
        opts_parse(&bad_spec, 2, argv);
        exit(0);
    }
    close(fd[1]);
    char out[512] = "";
    ssize_t got = read(fd[0], out, sizeof out - 1);
    out[got > 0 ? got : 0] = '\0';
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && strstr(out, "--x names 'nosuch', which is not an option"),
          "a rule naming no option is an internal error, even before -h");
}

int main(void)
{
    cli_init("test_opts");
    test_values();
    test_errors();
    test_help();
    test_modes();
    test_bad_rule();
    return unit_done();
}
