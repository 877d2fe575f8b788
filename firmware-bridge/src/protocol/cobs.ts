/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker 1999): the framing the probe firmware uses
 * (firmware/cobs.c). After encoding, a frame holds no 0x00, so 0x00 delimits frames on the wire and a
 * receiver resynchronises at the next 0x00 after any garbage. Written here because the one npm COBS
 * package is a small unmaintained module and the algorithm is a dozen lines; checked against the C
 * implementation through the real firmware in simavr.
 * Must not: throw on bad input (decode returns null).
 */

export function cobsEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length + Math.ceil(input.length / 254) + 1);
  let codeAt = 0;
  let o = 1;
  let code = 1;
  for (const byte of input) {
    if (byte === 0) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
    } else {
      out[o++] = byte;
      if (++code === 0xff) {
        out[codeAt] = code;
        codeAt = o++;
        code = 1;
      }
    }
  }
  out[codeAt] = code;
  return out.subarray(0, o);
}

/** Decode one frame (without its 0x00 delimiter); null when it is not valid COBS. */
export function cobsDecode(input: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(input.length);
  let i = 0;
  let o = 0;
  while (i < input.length) {
    const code = input[i++]!;
    if (code === 0) return null;
    for (let k = 1; k < code; k++) {
      if (i >= input.length || input[i] === 0) return null;
      out[o++] = input[i++]!;
    }
    if (code !== 0xff && i < input.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}
