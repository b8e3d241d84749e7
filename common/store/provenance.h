/* provenance.h - what the experiment store records about where a run came from:
 * the command as the user typed it and the git revision of the binary's checkout. */
#ifndef SENTIO_PROVENANCE_H
#define SENTIO_PROVENANCE_H

/* argv as a shell command line a user could paste: words with characters other
 * than [A-Za-z0-9_+=.,/:@%^-] (and empty words) in '...'. Returns a malloc'ed string. */
char *provenance_command_line(int argc, char **argv);

/* $SENTIO_GIT_REV when set (empty: NULL); otherwise, when the running binary
 * (argv0 when /proc/self/exe cannot be read) lives inside a git checkout, `git
 * rev-parse HEAD` there with "-dirty" appended when tracked files differ from
 * HEAD; otherwise NULL. No git, no cost. Returns a malloc'ed string or NULL. */
char *provenance_git_revision(const char *argv0);

#endif
