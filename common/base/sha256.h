/* sha256.h - SHA-256 (FIPS 180-4), for content hashes of streams and models in
 * the experiment store and the model file's checksum. None of sentio's
 * dependencies exports a hash function, hence this small implementation. */
#ifndef SENTIO_SHA256_H
#define SENTIO_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char digest[32]);
/* Lower-case hex of a finished digest: 64 characters and a NUL. */
void sha256_hex(const unsigned char digest[32], char hex[65]);
/* One-shot: the hex digest of a buffer. */
void sha256_buffer_hex(const void *data, size_t n, char hex[65]);

#endif
