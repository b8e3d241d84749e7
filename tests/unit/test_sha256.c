#include "base/sha256.h"
#include "unit.h"

#include <stdlib.h>

int main(void)
{
    char hex[65];
    sha256_buffer_hex("", 0, hex);
    CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
          "sha256 of the empty string");
    sha256_buffer_hex("abc", 3, hex);
    CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
          "sha256 of 'abc' (FIPS 180-4 example)");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_buffer_hex(two, strlen(two), hex);
    CHECK(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0,
          "sha256 of the two-block FIPS example");
    /* One million 'a', fed in uneven pieces: exercises block boundaries. */
    sha256_ctx c;
    unsigned char d[32];
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 97 + 1)
        sha256_update(&c, a + off, off + step > 1000000 ? 1000000 - off : step);
    sha256_final(&c, d);
    sha256_hex(d, hex);
    CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
          "sha256 of a million 'a' in uneven pieces");
    free(a);
    return unit_done();
}
