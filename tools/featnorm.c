/* featnorm - per-speaker feature normalisation, shrunk toward the global statistics
 * (man 1 featnorm). */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "norm/speakernorm.h"
#include "stream/featstream.h"
#include "stream/speakercli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FEATNORM_DEFAULT_PRIOR 4.0

static const char *output;
static speakercli speakers;
static double prior = FEATNORM_DEFAULT_PRIOR;
static int min_clips = 4;

static opts_entry options[] = {
    OPTS_SECTION("Speakers (one of the two)"),
    SPEAKERCLI_OPTIONS(speakers, "speaker", NULL, NULL,
                       "the speaker is the first capture group of REGEX (POSIX extended) in the "
                       "key"),
    OPTS_SECTION("Normalisation"),
    {.name = "prior",
     .type = OPTS_REAL,
     .dest = &prior,
     .arg = "K",
     .lo = 0,
     .hi = 1e6,
     .help = "shrink each speaker's mean and variance toward the input's global ones as if "
             "the speaker had K more clips of the global distribution; 0: plain per-speaker "
             "z-score"},
    {.name = "min-clips",
     .type = OPTS_INT,
     .dest = &min_clips,
     .lo = 0,
     .hi = 1000000000,
     .help = "warn, naming them, about speakers with fewer clips"},
    OPTS_OUTPUT(output),
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: featnorm (--speaker REGEX | --utt2spk FILE) [options] [STREAM ...]\n"
             "Z-score every column per speaker, with the speaker's mean and standard deviation\n"
             "shrunk toward the whole input's by --prior pseudo-clips. Two passes over the\n"
             "input (stdin and pipes are spooled to a temporary file); memory grows with the\n"
             "number of speakers, not of records. Labels are never used: training and test\n"
             "streams are each normalised with their own clips. The metadata of every record\n"
             "gains 'featnorm=speaker prior=K', so a model trained on normalised features\n"
             "refuses raw ones and the other way round.\n"
             "\n",
    .options = options,
    .footer =
        "Exit status: 0 success, 1 error, 2 usage error.\n"
        "\n"
        "Examples:\n"
        "  featnorm --speaker '-([0-9]+)\\.[a-z]+$' train.feat -o train.norm.feat\n"
        "  featnorm --utt2spk data/utt2spk --prior 0 test.feat | nnpredict -m m.svm\n"
        "  wav2mfcc --pool meanstd --csv TRAIN.csv | featnorm --speaker '^([^_]+)_' | svmfit -o m.svm\n"
        "\n"
        "See also: featpaste(1), svmfit(1), featsplit(1), featstream(5)\n",
};

/* One input, read twice: a regular file by path, anything else from a spooled copy. */
typedef struct {
    const char *path; /* NULL: stdin */
    FILE *spool;      /* pass 2 reads this when set */
    uint64_t records;
} source;

static bool is_regular(const char *path)
{
    struct stat st;
    return path && strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void open_source(feat_reader *r, source *s, bool second)
{
    if (second && s->spool) {
        rewind(s->spool);
        feat_reader_open_fp(r, s->spool, cli_input_name(s->path));
        s->spool = NULL; /* the reader owns it now */
        return;
    }
    if (feat_reader_open(r, s->path) != 0)
        cli_fail(NULL, "%s", r->err);
    if (!second && !is_regular(s->path)) {
        s->spool = tmpfile();
        if (!s->spool)
            cli_fail(NULL, "cannot create a temporary file to spool %s: %s",
                     cli_input_name(s->path), strerror(errno));
    }
}

/* The speaker of rec, or exit 1 naming the input, the record and the key. */
static char *speaker_or_fail(const speaker_map *m, const feat_reader *r, const feat_record *rec)
{
    char *spk = speaker_of(m, rec->key);
    if (!spk) {
        char why[FEAT_MAX_KEY + 1024];
        speaker_missing(m, rec->key, 0, why, sizeof why);
        cli_fail(r->name, "record %llu: %s (byte %llu)", (unsigned long long)r->records, why,
                 (unsigned long long)r->record_start);
    }
    return spk;
}

static void first_pass(source *src, int n, const speaker_map *m, norm_stats *st)
{
    feat_record rec = {0};
    for (int i = 0; i < n; ++i) {
        feat_reader r;
        open_source(&r, &src[i], false);
        int got;
        while ((got = feat_read(&r, &rec)) == 1) {
            if (src[i].spool && feat_write(src[i].spool, &rec) != 0)
                cli_fail(NULL, "cannot spool %s to a temporary file: %s", r.name, strerror(errno));
            uint32_t row, col;
            if (!feat_record_finite(&rec, &row, &col))
                cli_fail(r.name, "record '%s': value %u of row %u is not finite (byte %llu)",
                         rec.key, col + 1, row + 1, (unsigned long long)r.record_start);
            char *spk = speaker_or_fail(m, &r, &rec);
            if (norm_stats_add(st, spk, rec.data, rec.rows, (int)rec.cols) != 0)
                cli_fail(r.name,
                         "record '%s' has %u values per row, the first record had %d "
                         "(byte %llu)",
                         rec.key, rec.cols, st->cols, (unsigned long long)r.record_start);
            free(spk);
        }
        if (got < 0)
            cli_fail(NULL, "%s", r.err);
        if (src[i].spool && fflush(src[i].spool) != 0)
            cli_fail(NULL, "cannot spool %s to a temporary file: %s", r.name, strerror(errno));
        src[i].records = r.records;
        feat_reader_close(&r);
    }
    feat_record_free(&rec);
}

static void warn_small_speakers(const norm_stats *st)
{
    size_t few = 0;
    for (size_t i = 0; i < st->speakers.n; ++i)
        few += st->clips[i] < (size_t)min_clips;
    if (!few)
        return;
    fprintf(stderr,
            "%s: warning: %zu speaker%s with fewer than %d clips (their statistics are "
            "mostly the prior's):",
            cli_progname(), few, few == 1 ? "" : "s", min_clips);
    size_t shown = 0;
    for (size_t i = 0; i < st->speakers.n && shown < 20; ++i)
        if (st->clips[i] < (size_t)min_clips) {
            fprintf(stderr, "%s %s (%zu)", shown ? "," : "", st->speakers.names[i], st->clips[i]);
            ++shown;
        }
    fprintf(stderr, "%s\n", few > shown ? ", ..." : "");
}

static void second_pass(source *src, int n, const speaker_map *m, const norm_stats *st,
                        outfile *out)
{
    char tag[64];
    snprintf(tag, sizeof tag, "featnorm=speaker prior=%g", prior);
    feat_record rec = {0}, normed = {0};
    char *meta = NULL;
    for (int i = 0; i < n; ++i) {
        feat_reader r;
        open_source(&r, &src[i], true);
        int got;
        while ((got = feat_read(&r, &rec)) == 1) {
            char *spk = speaker_or_fail(m, &r, &rec);
            if (norm_stats_apply(st, spk, rec.data, rec.rows, (int)rec.cols) != 0)
                cli_fail(r.name, "record '%s' changed between the two passes (byte %llu)", rec.key,
                         (unsigned long long)r.record_start);
            free(spk);
            size_t len = strlen(rec.meta) + 1 + strlen(tag) + 1;
            if (len > FEAT_MAX_META + 1)
                cli_fail(r.name, "record '%s': the metadata would exceed %u bytes with '%s'",
                         rec.key, FEAT_MAX_META, tag);
            meta = cli_xrealloc(meta, len);
            snprintf(meta, len, "%s%s%s", rec.meta, *rec.meta ? " " : "", tag);
            feat_record_set(&normed, rec.key, rec.label, meta, rec.rows, rec.cols, rec.data);
            if (feat_write(out->fp, &normed) != 0)
                outfile_write_failed(out);
        }
        if (got < 0)
            cli_fail(NULL, "%s", r.err);
        if (r.records != src[i].records)
            cli_fail(r.name, "changed between the two passes (%llu records, then %llu)",
                     (unsigned long long)src[i].records, (unsigned long long)r.records);
        feat_reader_close(&r);
    }
    free(meta);
    feat_record_free(&rec);
    feat_record_free(&normed);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    int first = opts_parse(&spec, argc, argv);
    speaker_map m;
    if (!speakercli_map(&speakers, &m))
        cli_usage_error("--speaker REGEX or --utt2spk FILE is required");
    int n = argc - first;
    source *src = cli_xcalloc((size_t)(n ? n : 1), sizeof *src);
    for (int i = 0; i < n; ++i)
        src[i].path = argv[first + i];
    if (n == 0)
        n = 1; /* stdin */
    int stdin_uses = 0;
    for (int i = 0; i < n; ++i)
        stdin_uses += !src[i].path || strcmp(src[i].path, "-") == 0;
    if (stdin_uses > 1)
        cli_usage_error("stdin ('-') can be read only once");

    outfile out;
    outfile_open_or_fail(&out, output);
    norm_stats st;
    norm_stats_init(&st, prior);
    first_pass(src, n, &m, &st);
    if (st.speakers.n == 0)
        cli_fail(n == 1 ? cli_input_name(src[0].path) : NULL,
                 "no records to normalise (empty stream)");
    norm_stats_finish(&st);
    warn_small_speakers(&st);
    second_pass(src, n, &m, &st, &out);
    outfile_commit_or_fail(&out);
    norm_stats_free(&st);
    speaker_map_free(&m);
    free(src);
    return CLI_EXIT_OK;
}
