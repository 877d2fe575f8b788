/* Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): removes every 0x00 from a frame so 0x00
 * can delimit frames on the wire. */
#ifndef PROBE_COBS_H
#define PROBE_COBS_H
#include <stdint.h>

/* Encodes len bytes of in into out (room for len + len/254 + 1); returns the encoded length. */
uint8_t cobs_encode(const uint8_t *in, uint8_t len, uint8_t *out);
/* Decodes len bytes (without the 0x00 delimiter); returns the decoded length, or -1 if malformed. */
int16_t cobs_decode(const uint8_t *in, uint8_t len, uint8_t *out, uint8_t out_size);

#endif
