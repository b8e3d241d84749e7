/* featdump - show and convert sentio feature streams (man 1 featdump). */
#include "base/cli.h"
#include "stream/featstream.h"
#include "stream/feattext.h"
#include "base/outfile.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    printf(
        "Usage: featdump [options] [STREAM ...]\n"
        "Shows sentio feature streams (man 5 featstream) as text, one line per matrix row:\n"
        "KEY<TAB>LABEL<TAB>ROW<TAB>V1 ... VN, values as %%.9g (float32 exact), with #meta lines\n"
        "giving each record's metadata. Reads the streams in turn, stdin when none or '-'.\n"
        "\n"
        "Options:\n"
        "  --header           text: a first line key, label, row, f1..fN     (flag, off)\n"
        "  --info             a summary: records, shapes, labels, metadata    (flag, off)\n"
        "  --csv              CSV key,label,f1..fN with a header line; one-row\n"
        "                     records of one width only                       (flag, off)\n"
        "  --libsvm           libsvm's sparse format LABEL i:v ..., 1-based i,\n"
        "                     zeros omitted, one line per row; classes sorted\n"
        "                     by name are labels 1..K, unlabelled records 0   (flag, off)\n"
        "  --classes FILE     libsvm: take classes from FILE, one name per line,\n"
        "                     line k = label k; other labels are errors       (file, none)\n"
        "  --save-classes FILE  libsvm: write the class list to FILE instead of\n"
        "                     listing it on stderr                            (file, none)\n"
        "  --from-text        read the text form (with or without --header)\n"
        "                     and write the stream it shows, byte-identical   (flag, off)\n"
        "  -o, --output FILE  write FILE (replaced only on success)           (file, stdout)\n"
        "  -h, --help         show this help and exit\n"
        "      --version      show the version and exit\n"
        "\n"
        "Examples:\n"
        "  wav2mfcc --csv TRAIN.csv | featdump --info\n"
        "  featdump train.feat | head\n"
        "  featdump --csv train.feat > train.csv\n"
        "  featdump --libsvm --save-classes classes.txt train.feat > train.svm\n"
        "  featdump --libsvm --classes classes.txt val.feat > val.svm\n"
        "  featdump x.feat | sed 's/\\tNeutral\\t/\\tNegative\\t/' | featdump --from-text -o y.feat\n"
        "\n"
        "See also: featstream(5), wav2mfcc(1), featsplit(1), nnfit(1), svm-train(1)\n");
}

enum mode { MODE_TEXT, MODE_INFO, MODE_CSV, MODE_LIBSVM, MODE_FROM_TEXT };
enum { OPT_HEADER = 256, OPT_INFO, OPT_CSV, OPT_LIBSVM, OPT_CLASSES, OPT_SAVE_CLASSES,
       OPT_FROM_TEXT, OPT_VERSION };

typedef struct {
    enum mode mode;
    bool header;
    const char *classes, *save_classes, *output;
} options;

static void set_mode(options *o, enum mode m, const char *name)
{
    if (o->mode != MODE_TEXT && o->mode != m)
        cli_usage_error("%s cannot be combined with another output form", name);
    o->mode = m;
}

static options parse_options(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"header", no_argument, NULL, OPT_HEADER},
        {"info", no_argument, NULL, OPT_INFO},
        {"csv", no_argument, NULL, OPT_CSV},
        {"libsvm", no_argument, NULL, OPT_LIBSVM},
        {"classes", required_argument, NULL, OPT_CLASSES},
        {"save-classes", required_argument, NULL, OPT_SAVE_CLASSES},
        {"from-text", no_argument, NULL, OPT_FROM_TEXT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}};
    options o = {0};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_HEADER: o.header = true; break;
        case OPT_INFO: set_mode(&o, MODE_INFO, "--info"); break;
        case OPT_CSV: set_mode(&o, MODE_CSV, "--csv"); break;
        case OPT_LIBSVM: set_mode(&o, MODE_LIBSVM, "--libsvm"); break;
        case OPT_FROM_TEXT: set_mode(&o, MODE_FROM_TEXT, "--from-text"); break;
        case OPT_CLASSES: o.classes = optarg; break;
        case OPT_SAVE_CLASSES: o.save_classes = optarg; break;
        case 'o': o.output = optarg; break;
        case 'h': usage(); exit(CLI_EXIT_OK);
        case OPT_VERSION: cli_print_version(); exit(CLI_EXIT_OK);
        default: cli_usage_error("unknown option");
        }
    }
    if (o.header && o.mode != MODE_TEXT)
        cli_usage_error("--header applies to the text form only");
    if ((o.classes || o.save_classes) && o.mode != MODE_LIBSVM)
        cli_usage_error("--classes and --save-classes need --libsvm");
    if (o.classes && o.save_classes)
        cli_usage_error("--classes and --save-classes cannot be combined");
    return o;
}

static void write_failed(outfile *out)
{
    cli_fail(outfile_name(out), "write error: %s", strerror(errno));
}

static void finish_output(outfile *out)
{
    if (outfile_commit(out) != 0)
        write_failed(out);
}

/* --from-text: text files in turn -> one stream. */
static int from_text(int nfiles, char **files, outfile *out)
{
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        files = stdin_only;
        nfiles = 1;
    }
    outfile_refuse_terminal(out);
    feat_record rec = {0};
    int status = CLI_EXIT_OK;
    for (int i = 0; i < nfiles && status == CLI_EXIT_OK; i++) {
        feat_text_reader r;
        if (feat_text_reader_open(&r, files[i]) != 0) {
            cli_error(NULL, "%s", r.err);
            feat_text_reader_close(&r);
            status = CLI_EXIT_RUNTIME;
            break;
        }
        int rc;
        while ((rc = feat_text_read(&r, &rec)) == 1)
            if (feat_write(out->fp, &rec) != 0)
                write_failed(out);
        if (rc < 0) {
            cli_error(NULL, "%s", r.err);
            status = CLI_EXIT_RUNTIME;
        }
        feat_text_reader_close(&r);
    }
    feat_record_free(&rec);
    return status;
}

static void report_classes(const feat_libsvm_writer *w, const char *save_path)
{
    size_t n;
    const char **names = feat_libsvm_class_names(w, &n);
    if (save_path) {
        outfile f;
        if (outfile_open(&f, save_path) != 0)
            cli_fail(save_path, "%s", strerror(errno));
        for (size_t k = 0; k < n; k++)
            fprintf(f.fp, "%s\n", names[k]);
        finish_output(&f);
    } else {
        for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s: libsvm label %zu = %s\n", cli_progname(), k + 1, names[k]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    options o = parse_options(argc, argv);
    int nfiles = argc - optind;
    char **files = argv + optind;

    strmap classes = {0};
    char err[640];
    if (o.classes && feat_libsvm_load_classes(o.classes, &classes, err, sizeof err) != 0)
        cli_fail(NULL, "%s", err);

    outfile out;
    if (outfile_open(&out, o.output) != 0)
        cli_fail(o.output, "%s", strerror(errno));
    if (o.mode == MODE_FROM_TEXT) {
        int status = from_text(nfiles, files, &out);
        if (status != CLI_EXIT_OK) {
            outfile_abort(&out);
            return status;
        }
        finish_output(&out);
        return CLI_EXIT_OK;
    }

    feat_text_writer text;
    feat_csv_writer csv;
    feat_libsvm_writer svm = {0};
    feat_info info = {0};
    feat_text_writer_init(&text, out.fp, o.header);
    feat_csv_writer_init(&csv, out.fp);
    if (o.mode == MODE_LIBSVM &&
        feat_libsvm_init(&svm, out.fp, o.classes ? &classes : NULL, err, sizeof err) != 0)
        cli_fail(NULL, "%s", err);

    feat_input in;
    feat_record rec = {0};
    feat_input_init(&in, nfiles, files);
    int rc, status = CLI_EXIT_OK;
    while ((rc = feat_input_next(&in, &rec)) == 1) {
        int bad = 0;
        switch (o.mode) {
        case MODE_TEXT:
            if (feat_text_write(&text, &rec) != 0)
                write_failed(&out);
            break;
        case MODE_INFO: feat_info_add(&info, &rec); break;
        case MODE_CSV: bad = feat_csv_write(&csv, &rec, err, sizeof err); break;
        case MODE_LIBSVM: bad = feat_libsvm_write(&svm, &rec, err, sizeof err); break;
        case MODE_FROM_TEXT: break;
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
        if (o.mode == MODE_TEXT && feat_text_writer_finish(&text) != 0)
            write_failed(&out);
        if (o.mode == MODE_INFO)
            feat_info_print(&info, out.fp);
        if (o.mode == MODE_LIBSVM) {
            if (feat_libsvm_finish(&svm, err, sizeof err) != 0)
                cli_fail(NULL, "%s", err);
            if (!o.classes) /* the user knows a list they gave */
                report_classes(&svm, o.save_classes);
        }
    }
    feat_text_writer_free(&text);
    feat_libsvm_free(&svm);
    feat_info_free(&info);
    strmap_free(&classes);
    if (status != CLI_EXIT_OK) {
        outfile_abort(&out);
        return status;
    }
    finish_output(&out);
    return CLI_EXIT_OK;
}
