/* fuzz_utt2spk - the Kaldi utt2spk reader (speaker_map_utt2spk; featnorm, featsplit,
 * svmfit and metrics --utt2spk). Properties: a rejected input gives -1 and a message
 * naming a line of the input, or saying it holds no lines; an accepted one maps every
 * utterance to a non-empty speaker free of spaces, tabs and line breaks, speaker_of
 * finds it by its own id, and the pairs written back as lines read back the same. */
#include "fuzz.h"

#include "stream/speaker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    const char *path = fuzz_file(data, size, ".utt2spk");
    speaker_map m = {0};
    char err[SENTIO_ERR_LEN] = "";
    if (speaker_map_utt2spk(&m, path, err, sizeof err) != 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "(line", 1, lines) || strstr(err, "no 'UTTERANCE"),
                    "rejected without a line in [1, %llu]: %s", lines, err);
        speaker_map_free(&m);
        return 0;
    }
    fuzz_mem out;
    fuzz_mem_open(&out);
    for (size_t i = 0; i < m.utts.n; i++) {
        const char *utt = m.utts.names[i], *spk = m.spk_of[i];
        FUZZ_ASSERT(utt[0] && spk[0] && !strpbrk(utt, " \t\r\n") && !strpbrk(spk, " \t\r\n"),
                    "pair %zu: '%s' '%s'", i, utt, spk);
        char *found = speaker_of(&m, utt);
        FUZZ_ASSERT(found && strcmp(found, spk) == 0, "speaker_of('%s') is not '%s'", utt, spk);
        free(found);
        fprintf(out.fp, "%s %s\n", utt, spk);
    }
    fuzz_mem_close(&out);
    speaker_map back = {0};
    path = fuzz_file((const uint8_t *)out.buf, out.len, ".utt2spk");
    FUZZ_ASSERT(speaker_map_utt2spk(&back, path, err, sizeof err) == 0, "written back, refused: %s",
                err);
    FUZZ_ASSERT(back.utts.n == m.utts.n, "%zu pairs became %zu", m.utts.n, back.utts.n);
    for (size_t i = 0; i < m.utts.n; i++)
        FUZZ_ASSERT(strcmp(back.utts.names[i], m.utts.names[i]) == 0 &&
                        strcmp(back.spk_of[i], m.spk_of[i]) == 0,
                    "pair %zu changed", i);
    speaker_map_free(&back);
    fuzz_mem_free(&out);
    speaker_map_free(&m);
    return 0;
}
