/* Unit tests of cliplist.h: Kaggle CSV quirks, list files and wav.scp. */
#include "stream/cliplist.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/sentio-test-cliplist-XXXXXX";

static const char *write_file(const char *name, const char *text, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    fwrite(text, 1, len, fp);
    fclose(fp);
    return path;
}

#define WRITE(name, lit) write_file(name, lit, sizeof lit - 1)

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char err[256], want[300];
    clip_list l = {0};
    const char *csv = WRITE("TRAIN.csv", "\xEF\xBB\xBF"
                                         "Filename,Class\r\n"
                                         "a.wav,Positive\r\n"
                                         "\"with space, and comma.wav\",Negative\r\n"
                                         "\"say \"\"hi\"\".wav\",\"Neutral\"\r\n"
                                         "\r\n");
    CHECK(clip_list_read_csv(&l, csv, NULL, err, sizeof err) == 0, "CSV with BOM, CRLF, quotes");
    CHECK(l.n == 3, "three rows, the blank line ignored");
    snprintf(want, sizeof want, "%s/TRAIN/a.wav", dir);
    CHECK(l.n > 0 && strcmp(l.items[0].path, want) == 0 && strcmp(l.items[0].key, "a.wav") == 0 &&
              strcmp(l.items[0].label, "Positive") == 0,
          "default folder: the CSV's path without its extension; key = Filename");
    CHECK(l.n > 1 && strcmp(l.items[1].key, "with space, and comma.wav") == 0 &&
              strcmp(l.items[1].label, "Negative") == 0,
          "quoted name with a space and a comma");
    CHECK(l.n > 2 && strcmp(l.items[2].key, "say \"hi\".wav") == 0 &&
              strcmp(l.items[2].label, "Neutral") == 0,
          "doubled quotes inside a quoted field");
    clip_list_free(&l);

    csv = WRITE("test.csv", "Class,Filename\nX,b.flac\n");
    CHECK(clip_list_read_csv(&l, csv, "/data/audio", err, sizeof err) == 0 && l.n == 1 &&
              strcmp(l.items[0].path, "/data/audio/b.flac") == 0 &&
              strcmp(l.items[0].label, "X") == 0,
          "--dir and columns in another order");
    clip_list_free(&l);

    csv = WRITE("names.csv", "Filename\nc.wav");
    CHECK(clip_list_read_csv(&l, csv, NULL, err, sizeof err) == 0 && l.n == 1 &&
              strcmp(l.items[0].label, "") == 0,
          "no Class column (a test set) and no final newline: empty labels");
    clip_list_free(&l);

    csv = WRITE("bad.csv", "Filename,Class\na.wav,Positive\nb.wav,Negative,extra\n");
    CHECK(clip_list_read_csv(&l, csv, NULL, err, sizeof err) == -1 && strstr(err, "line 3"),
          "a row with a wrong field count names its line");
    clip_list_free(&l);
    csv = WRITE("quote.csv", "Filename,Class\n\"a.wav,Positive\n");
    CHECK(clip_list_read_csv(&l, csv, NULL, err, sizeof err) == -1 && strstr(err, "unterminated"),
          "an unterminated quote is an error");
    clip_list_free(&l);
    csv = WRITE("nohead.csv", "name,label\na.wav,x\n");
    CHECK(clip_list_read_csv(&l, csv, NULL, err, sizeof err) == -1 && strstr(err, "Filename"),
          "a header without Filename is an error");
    clip_list_free(&l);

    /* Found writing fuzz_csv's properties: a NUL cut the file name short in silence ("a.wav\0x"
     * read as "a.wav"). */
    csv = WRITE("nul.csv", "Filename,Class\nok.wav,x\na.wav\0.evil,y\n");
    CHECK(clip_list_read_csv(&l, csv, NULL, err, sizeof err) == -1 &&
              strstr(err, "a NUL byte (line 3)"),
          "a NUL byte in a CSV is an error naming its line");
    clip_list_free(&l);

    const char *list = WRITE("list.txt", "one.wav\ttrain\r\n\n/abs/two.wav\n");
    CHECK(clip_list_read_list(&l, list, err, sizeof err) == 0 && l.n == 2, "list file");
    CHECK(l.n == 2 && strcmp(l.items[0].path, "one.wav") == 0 &&
              strcmp(l.items[0].label, "train") == 0 &&
              strcmp(l.items[1].key, "/abs/two.wav") == 0 && strcmp(l.items[1].label, "") == 0,
          "PATH<TAB>LABEL with CRLF, and PATH alone");
    clip_list_free(&l);
    list = WRITE("bad.txt", "a.wav\tx\ty\n");
    CHECK(clip_list_read_list(&l, list, err, sizeof err) == -1 && strstr(err, "line 1"),
          "two TABs on a line is an error naming the line");
    clip_list_free(&l);

    /* Found writing fuzz_list's round trip: a CR inside a line reached the key, which the stream
     * then refused. */
    list = WRITE("cr.txt", "a.wav\tx\nb\r.wav\ty\r\n");
    CHECK(clip_list_read_list(&l, list, err, sizeof err) == -1 &&
              strstr(err, "a carriage return inside the line (line 2)"),
          "a carriage return inside a list line is an error naming the line");
    clip_list_free(&l);

    /* Found by fuzz_scp: a CR was a blank at the line's end only, so "u \r |" ran the
     * command "\r" and "u\r p" refused its key. */
    const char *scp = WRITE("cr.scp", "u1 a.wav\r\n"
                                      "u2\r b.wav\n"
                                      "u3 sox c.wav -t wav - \r|\r\n");
    CHECK(clip_list_read_scp(&l, scp, true, err, sizeof err) == 0 && l.n == 3, "scp with CRs");
    CHECK(l.n == 3 && strcmp(l.items[0].path, "a.wav") == 0 && strcmp(l.items[1].key, "u2") == 0 &&
              strcmp(l.items[1].path, "b.wav") == 0 && l.items[2].command &&
              strcmp(l.items[2].path, "sox c.wav -t wav -") == 0,
          "a CR separates and ends fields like a space");
    clip_list_free(&l);
    scp = WRITE("crcmd.scp", "u1 a.wav\nu4 \r |\n");
    CHECK(clip_list_read_scp(&l, scp, true, err, sizeof err) == -1 &&
              strcmp(err, "'u4' has an empty command (line 2)") == 0,
          "a command of a CR alone is empty");
    clip_list_free(&l);

    char *d = clip_list_csv_dir("data/TRAIN.csv");
    CHECK(strcmp(d, "data/TRAIN") == 0, "data/TRAIN.csv reads data/TRAIN/");
    free(d);
    d = clip_list_csv_dir("lists/train");
    CHECK(strcmp(d, "lists") == 0, "a CSV without extension: its folder");
    free(d);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? unit_done() : 1;
}
