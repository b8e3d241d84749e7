/* fuzz_model_body - the model file loader past its checksum: the input's last
 * "sha256 ..." line (if any) is replaced by the checksum of the bytes before it,
 * so mutations reach the architecture, the classes, the scaler, the weights,
 * prediction and writing back (model_check.h). */
#include "model_check.h"

#include "base/sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t body = size;
    if (body && data[body - 1] == '\n') { /* drop a last line that is a checksum */
        size_t start = body - 1;
        while (start > 0 && data[start - 1] != '\n')
            start--;
        if (body - start >= 7 && memcmp(data + start, "sha256 ", 7) == 0)
            body = start;
    }
    size_t len = body + (body && data[body - 1] != '\n') + 7 + 64 + 1;
    uint8_t *file = malloc(len ? len : 1);
    memcpy(file, data, body);
    size_t n = body;
    if (body && data[body - 1] != '\n')
        file[n++] = '\n';
    char hex[65];
    sha256_buffer_hex(file, n, hex);
    memcpy(file + n, "sha256 ", 7);
    memcpy(file + n + 7, hex, 64);
    file[n + 71] = '\n';
    model_check(fuzz_file(file, len, ".model"), file, len);
    free(file);
    return 0;
}
