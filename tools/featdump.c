/* featdump - show and convert sentio feature streams (man 1 featdump). */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "stream/featkaldi.h"
#include "stream/featstream.h"
#include "stream/feattext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum mode {
    MODE_TEXT,
    MODE_INFO,
    MODE_CSV,
    MODE_LIBSVM,
    MODE_FROM_TEXT,
    MODE_ARK,
    MODE_FROM_ARK,
    MODE_NPY
};

static bool header, info, csv, libsvm, from_text, ark, from_ark;
static const char *classes_path, *save_classes, *output, *npy;

static opts_entry options[] = {
    OPTS_SECTION("Output forms (the text form when none is given)"),
    {.name = "header",
     .type = OPTS_FLAG,
     .dest = &header,
     .excludes = "info,libsvm,from-text",
     .help = "text form: a first line key, label, row, f1..fN, or the names of the metadata's "
             "names= field; CSV always has its header line"},
    {.name = "info",
     .type = OPTS_FLAG,
     .dest = &info,
     .excludes = "csv,libsvm,from-text",
     .help = "a summary: records, shapes, labels, metadata"},
    {.name = "csv",
     .type = OPTS_FLAG,
     .dest = &csv,
     .excludes = "info,libsvm,from-text",
     .help = "CSV key,label,f1..fN (or the metadata's names=) with a header line; one-row "
             "records of one width only"},
    {.name = "libsvm",
     .type = OPTS_FLAG,
     .dest = &libsvm,
     .excludes = "info,csv,from-text",
     .help = "libsvm's sparse format LABEL i:v ..., 1-based i, zeros omitted, one line per row; "
             "classes sorted by name are labels 1..K, unlabelled records 0"},
    {.name = "classes",
     .type = OPTS_FILE,
     .dest = &classes_path,
     .def = "none",
     .needs = "libsvm",
     .excludes = "save-classes",
     .help = "libsvm: take classes from FILE, one name per line, line k = label k; other labels "
             "are errors"},
    {.name = "save-classes",
     .type = OPTS_FILE,
     .dest = &save_classes,
     .def = "none",
     .needs = "libsvm",
     .help = "libsvm: write the class list to FILE instead of listing it on stderr"},
    {.name = "from-text",
     .type = OPTS_FLAG,
     .dest = &from_text,
     .excludes = "info,csv,libsvm",
     .help = "read the text form (with or without --header) and write the stream it shows, "
             "byte-identical"},
    OPTS_SECTION("Other toolkits"),
    {.name = "ark",
     .type = OPTS_FLAG,
     .dest = &ark,
     .excludes = "header,info,csv,libsvm,from-text,from-ark,npy",
     .help = "a Kaldi binary archive of float matrices (copy-feats, kaldiio read it); keys must "
             "have no blanks"},
    {.name = "from-ark",
     .type = OPTS_FLAG,
     .dest = &from_ark,
     .excludes = "header,info,csv,libsvm,from-text,npy",
     .help = "read Kaldi binary archives (FM or DM matrices) and write the stream: unlabelled, "
             "no metadata"},
    {.name = "npy",
     .type = OPTS_FILE,
     .dest = &npy,
     .excludes = "header,info,csv,libsvm,from-text,output",
     .help = "write one-row records as an N x D float32 numpy FILE (.npy 1.0) and their index, "
             "key and label to FILE without .npy plus .keys.tsv"},
    OPTS_SECTION("Output"),
    OPTS_OUTPUT(output),
    OPTS_END,
};

static const opts_spec spec = {
    .usage =
        "Usage: featdump [options] [STREAM ...]\n"
        "Shows sentio feature streams (man 5 featstream) as text, one line per matrix row:\n"
        "KEY<TAB>LABEL<TAB>ROW<TAB>V1 ... VN, values as %.9g (float32 exact), with #meta lines\n"
        "giving each record's metadata. Reads the streams in turn, stdin when none or '-'.\n"
        "\n",
    .options = options,
    .footer =
        "Examples:\n"
        "  wav2mfcc --csv TRAIN.csv | featdump --info\n"
        "  featdump train.feat | head\n"
        "  featdump --csv train.feat > train.csv\n"
        "  featdump --libsvm --save-classes classes.txt train.feat > train.svm\n"
        "  featdump --libsvm --classes classes.txt val.feat > val.svm\n"
        "  featdump x.feat | sed 's/\\tNeutral\\t/\\tNegative\\t/' | featdump --from-text -o y.feat\n"
        "  featdump --ark train.feat > train.ark; copy-feats ark:train.ark ark,t:-\n"
        "  featdump --from-ark feats.ark -o feats.feat\n"
        "  featdump --npy train.npy train.feat   # and train.keys.tsv\n"
        "\n"
        "See also: featstream(5), wav2mfcc(1), featsplit(1), nnfit(1), svm-train(1)\n",
};

static enum mode chosen_mode(void)
{
    return info        ? MODE_INFO
           : csv       ? MODE_CSV
           : libsvm    ? MODE_LIBSVM
           : from_text ? MODE_FROM_TEXT
           : ark       ? MODE_ARK
           : from_ark  ? MODE_FROM_ARK
           : npy       ? MODE_NPY
                       : MODE_TEXT;
}

/* --from-text: one text file -> records on out. Returns 0, or -1 (reported). */
static int text_file_to_stream(const char *file, feat_record *rec, outfile *out)
{
    feat_text_reader r;
    int rc = -1;
    if (feat_text_reader_open(&r, file) == 0) {
        while ((rc = feat_text_read(&r, rec)) == 1)
            if (feat_write(out->fp, rec) != 0)
                outfile_write_failed(out);
    }
    if (rc < 0)
        cli_error(NULL, "%s", r.err);
    feat_text_reader_close(&r);
    return rc < 0 ? -1 : 0;
}

/* --from-ark: one Kaldi archive -> records on out. Returns 0, or -1 (reported). */
static int ark_file_to_stream(const char *file, feat_record *rec, outfile *out)
{
    FILE *fp = cli_open_input(file);
    if (!fp) {
        cli_error(cli_input_name(file), "%s", strerror(errno));
        return -1;
    }
    feat_ark_reader r = {.fp = fp};
    char err[SENTIO_ERR_LEN];
    int rc;
    while ((rc = feat_ark_read(&r, rec, "", err, sizeof err)) == 1)
        if (feat_write(out->fp, rec) != 0)
            outfile_write_failed(out);
    if (rc < 0)
        cli_error(cli_input_name(file), "%s", err);
    feat_ark_reader_free(&r);
    cli_close_input(fp);
    return rc < 0 ? -1 : 0;
}

/* --from-text, --from-ark: the files in turn (stdin when none) -> one stream, or
 * nothing when one fails. Returns the exit status. */
static int to_stream(int nfiles, char **files, outfile *out,
                     int (*convert)(const char *, feat_record *, outfile *))
{
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        files = stdin_only;
        nfiles = 1;
    }
    outfile_refuse_terminal(out);
    feat_record rec = {0};
    int status = CLI_EXIT_OK;
    for (int i = 0; i < nfiles && status == CLI_EXIT_OK; i++)
        if (convert(files[i], &rec, out) != 0)
            status = CLI_EXIT_RUNTIME;
    feat_record_free(&rec);
    if (status != CLI_EXIT_OK)
        outfile_abort(out);
    else
        outfile_commit_or_fail(out);
    return status;
}

/* --npy FILE: the keys and labels go to FILE without .npy, plus .keys.tsv. */
static char *npy_keys_path(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".npy") == 0)
        n -= 4;
    char *keys = cli_xmalloc(n + 10);
    memcpy(keys, path, n);
    memcpy(keys + n, ".keys.tsv", sizeof ".keys.tsv");
    return keys;
}

static void write_npy(const feat_npy *a, const char *path)
{
    char *keys_path = npy_keys_path(path);
    outfile values, keys;
    outfile_open_or_fail(&values, path);
    outfile_open_or_fail(&keys, keys_path);
    if (feat_npy_write(a, values.fp, keys.fp) != 0)
        outfile_write_failed(&values);
    outfile_commit_or_fail(&values);
    outfile_commit_or_fail(&keys);
    free(keys_path);
}

static void report_classes(const feat_libsvm_writer *w, const char *save_path)
{
    size_t n;
    const char **names = feat_libsvm_class_names(w, &n);
    if (save_path) {
        outfile f;
        outfile_open_or_fail(&f, save_path);
        for (size_t k = 0; k < n; k++)
            fprintf(f.fp, "%s\n", names[k]);
        outfile_commit_or_fail(&f);
    } else {
        for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s: libsvm label %zu = %s\n", cli_progname(), k + 1, names[k]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    int first = opts_parse(&spec, argc, argv);
    int nfiles = argc - first;
    char **files = argv + first;
    enum mode mode = chosen_mode();

    strmap classes = {0};
    char err[SENTIO_ERR_LEN];
    if (classes_path && feat_libsvm_load_classes(classes_path, &classes, err, sizeof err) != 0)
        cli_fail(NULL, "%s", err);

    outfile out = {0}; /* --npy writes its own two files */
    if (mode != MODE_NPY)
        outfile_open_or_fail(&out, output);
    if (mode == MODE_ARK)
        outfile_refuse_terminal(&out);
    if (mode == MODE_FROM_ARK)
        return to_stream(nfiles, files, &out, ark_file_to_stream);
    if (mode == MODE_FROM_TEXT)
        return to_stream(nfiles, files, &out, text_file_to_stream);

    feat_text_writer text;
    feat_csv_writer csv;
    feat_libsvm_writer svm = {0};
    feat_info info = {0};
    feat_npy npy_rows = {0};
    FILE *fp = mode == MODE_NPY ? NULL : out.fp;
    feat_text_writer_init(&text, fp, header);
    feat_csv_writer_init(&csv, fp);
    if (mode == MODE_LIBSVM &&
        feat_libsvm_init(&svm, out.fp, classes_path ? &classes : NULL, err, sizeof err) != 0)
        cli_fail(NULL, "%s", err);

    feat_input in;
    feat_record rec = {0};
    feat_input_init(&in, nfiles, files);
    int rc, status = CLI_EXIT_OK;
    while ((rc = feat_input_next(&in, &rec)) == 1) {
        int bad = 0;
        switch (mode) {
        case MODE_TEXT:
            if (feat_text_write(&text, &rec) != 0)
                outfile_write_failed(&out);
            break;
        case MODE_INFO: feat_info_add(&info, &rec); break;
        case MODE_CSV: bad = feat_csv_write(&csv, &rec, err, sizeof err); break;
        case MODE_LIBSVM: bad = feat_libsvm_write(&svm, &rec, err, sizeof err); break;
        case MODE_ARK: bad = feat_ark_write(out.fp, &rec, err, sizeof err); break;
        case MODE_NPY: bad = feat_npy_add(&npy_rows, &rec, err, sizeof err); break;
        case MODE_FROM_TEXT:
        case MODE_FROM_ARK: break;
        }
        if (bad) {
            cli_error(feat_input_name(&in), "%s", err);
            status = CLI_EXIT_RUNTIME;
            break;
        }
    }
    if (rc < 0) {
        cli_error(NULL, "%s", in.reader.err);
        status = CLI_EXIT_RUNTIME;
    }
    feat_input_close(&in);
    feat_record_free(&rec);
    if (status == CLI_EXIT_OK) {
        if (mode == MODE_TEXT && feat_text_writer_finish(&text) != 0)
            outfile_write_failed(&out);
        if (mode == MODE_INFO)
            feat_info_print(&info, out.fp);
        if (mode == MODE_LIBSVM) {
            if (feat_libsvm_finish(&svm, err, sizeof err) != 0)
                cli_fail(NULL, "%s", err);
            if (!classes_path) /* the user knows a list they gave */
                report_classes(&svm, save_classes);
        }
        if (mode == MODE_NPY)
            write_npy(&npy_rows, npy);
    }
    feat_npy_free(&npy_rows);
    feat_text_writer_free(&text);
    feat_libsvm_free(&svm);
    feat_info_free(&info);
    strmap_free(&classes);
    if (mode == MODE_NPY)
        return status;
    if (status != CLI_EXIT_OK) {
        outfile_abort(&out);
        return status;
    }
    outfile_commit_or_fail(&out);
    return CLI_EXIT_OK;
}
