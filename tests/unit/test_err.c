/* err: messages, names and positions, and what survives a message too long for
 * its buffer (the position, which every refusal must name: the fuzzers check it). */
#include "unit.h"

#include "base/err.h"

static void check_text(const char *got, const char *want, const char *what)
{
    if (!CHECK(strcmp(got, want) == 0, what))
        printf("#   got '%s', expected '%s'\n", got, want);
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static void test_forms(void)
{
    char err[SENTIO_ERR_LEN];
    CHECK(err_set(err, sizeof err, "bad %d", 3) == -1, "err_set returns -1");
    check_text(err, "bad 3", "err_set formats");
    err_in(err, sizeof err, "a.tsv", "cannot read: %s", "EOF");
    check_text(err, "a.tsv: cannot read: EOF", "err_in puts the name first");
    err_at_line(err, sizeof err, "a.tsv", 12, "no label");
    check_text(err, "a.tsv: no label (line 12)", "err_at_line: name, message, line");
    err_at_line(err, sizeof err, NULL, 1, "header column %d is '%s'", 4, "x");
    check_text(err, "header column 4 is 'x' (line 1)", "err_at_line without a name");
    err_at_byte(err, sizeof err, "s.feat", 0, "bad magic");
    check_text(err, "s.feat: bad magic (byte 0)", "err_at_byte counts from 0");
    err_at_record(err, sizeof err, NULL, 4, "key '%s' is not in utt2spk %s", "c.wav", "u");
    check_text(err, "key 'c.wav' is not in utt2spk u (record 4)", "err_at_record");
}

static void test_long_messages(void)
{
    static char field[4000];
    memset(field, 'x', sizeof field - 1);
    char err[SENTIO_ERR_LEN];
    err_at_line(err, sizeof err, NULL, 1, "header column 4 is '%s', not p_CLASS", field);
    CHECK(strlen(err) == sizeof err - 1, "a long message fills the buffer");
    CHECK(ends_with(err, "xx... (line 1)"), "and is cut before its position, marked '...'");
    CHECK(strncmp(err, "header column 4 is 'xxx", 23) == 0, "its start is kept");

    err_at_byte(err, sizeof err, "name.feat", 18446744073709551615ULL, "%s", field);
    CHECK(ends_with(err, "xx... (byte 18446744073709551615)"), "the largest position survives");
    CHECK(strncmp(err, "name.feat: xxx", 14) == 0, "and the name");
    err_at_record(err, sizeof err, NULL, 3, "key '%s' is not in utt2spk %s", field, "u");
    CHECK(strlen(err) == sizeof err - 1 && ends_with(err, "xx... (record 3)"),
          "a record's position survives a key too long for the message");

    char fits[28];
    err_at_line(fits, sizeof fits, NULL, 7, "%s", "eighteen chars....");
    check_text(fits, "eighteen chars.... (line 7)", "a message that just fits is not cut");
    char one_less[27];
    err_at_line(one_less, sizeof one_less, NULL, 7, "%s", "eighteen chars....");
    check_text(one_less, "eighteen chars... (line 7)", "one byte less: cut, position kept");

    char mid[40];
    err_at_line(mid, sizeof mid, field, 9, "m");
    CHECK(strlen(mid) == sizeof mid - 1 && ends_with(mid, "... (line 9)"),
          "a name longer than the buffer is cut, the position still last");

    char tiny[8];
    err_at_line(tiny, sizeof tiny, NULL, 123456, "abcdefghij");
    check_text(tiny, "abcd...", "no room for a position: the message alone, cut");
}

int main(void)
{
    test_forms();
    test_long_messages();
    return unit_done();
}
