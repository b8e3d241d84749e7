#include "feat/clipcli.h"

#include "base/cli.h"
#include "base/err.h"

#include <errno.h>
#include <string.h>

static bool is_stdin(const char *path) { return path && strcmp(path, "-") == 0; }

/* The clips in order: --scp, --csv, --list, then the files; stdin alone when none
 * is given (with --scp alone, stdin is not an audio input). */
static void gather(clipcli *c, int nfiles, char **files)
{
    char err[SENTIO_ERR_LEN];
    bool stdin_audio = false;
    for (int i = 0; i < nfiles; i++)
        stdin_audio |= is_stdin(files[i]);
    bool implicit_stdin = !c->scp && !c->csv && !c->list && nfiles == 0;
    stdin_audio |= implicit_stdin;
    if (is_stdin(c->scp) && (is_stdin(c->list) || stdin_audio))
        cli_usage_error("stdin cannot be both the --scp and another input");
    if (is_stdin(c->list) && stdin_audio)
        cli_usage_error("stdin cannot be both the --list and an audio input");

    if (c->scp && clip_list_read_scp(&c->clips, c->scp, c->scp_pipes, err, sizeof err) != 0)
        cli_fail(cli_input_name(c->scp), "%s", err);
    if (c->csv && clip_list_read_csv(&c->clips, c->csv, c->dir, err, sizeof err) != 0)
        cli_fail(c->csv, "%s", err);
    if (c->list && clip_list_read_list(&c->clips, c->list, err, sizeof err) != 0)
        cli_fail(cli_input_name(c->list), "%s", err);
    for (int i = 0; i < nfiles; i++)
        clip_list_add(&c->clips, files[i], files[i], "");
    if (implicit_stdin)
        clip_list_add(&c->clips, "-", "-", "");
}

void clipcli_begin(clipcli *c, int nfiles, char **files, bool writes)
{
    if (c->quiet)
        cli_progress_off();
    if (is_stdin(c->skipped_list))
        cli_usage_error("--skipped-list needs a file name");
    gather(c, nfiles, files);
    if (outfile_open(&c->out, c->output) != 0)
        cli_fail(c->output, "cannot create: %s", strerror(errno));
    if (writes)
        outfile_refuse_terminal(&c->out);
    if (c->skipped_list && outfile_open(&c->skipped, c->skipped_list) != 0)
        cli_fail(c->skipped_list, "cannot create: %s", strerror(errno));
}

FILE *clipcli_skipped(const clipcli *c) { return c->skipped_list ? c->skipped.fp : NULL; }

int clipcli_end(clipcli *c, int status)
{
    if (status == CLI_EXIT_RUNTIME) {
        outfile_abort(&c->out);
        if (c->skipped_list)
            outfile_abort(&c->skipped);
    } else {
        if (outfile_commit(&c->out) != 0) {
            cli_error(outfile_name(&c->out), "write error: %s", strerror(errno));
            status = CLI_EXIT_RUNTIME;
        }
        if (c->skipped_list && outfile_commit(&c->skipped) != 0) {
            cli_error(c->skipped_list, "write error: %s", strerror(errno));
            status = CLI_EXIT_RUNTIME;
        }
    }
    clip_list_free(&c->clips);
    return status;
}
