/** COBS against the worked examples of Cheshire & Baker's paper / the usual reference vectors, and round trips. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@simhound/test-support/random';
import { cobsDecode, cobsEncode } from '../../src/protocol/cobs.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/ /g, ''), 'hex'));

describe('COBS', () => {
  it('encodes the reference vectors', () => {
    const cases: Array<[string, string]> = [
      ['00', '01 01'],
      ['00 00', '01 01 01'],
      ['00 11 00', '01 02 11 01'],
      ['11 22 00 33', '03 11 22 02 33'],
      ['11 22 33 44', '05 11 22 33 44'],
      ['11 00 00 00', '02 11 01 01 01'],
    ];
    for (const [raw, enc] of cases) {
      expect(Buffer.from(cobsEncode(hex(raw))).toString('hex')).toBe(enc.replace(/ /g, ''));
      expect(Buffer.from(cobsDecode(hex(enc))!).toString('hex')).toBe(raw.replace(/ /g, ''));
    }
    const run254 = Uint8Array.from({ length: 254 }, (_, i) => i + 1);
    const enc = cobsEncode(run254);
    expect(enc[0]).toBe(0xff);
    expect(enc.length).toBe(256);
    expect(Buffer.from(cobsDecode(enc)!)).toEqual(Buffer.from(run254));
  });

  it('round-trips random frames and never puts a zero on the wire', () => {
    const rnd = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const data = Uint8Array.from({ length: Math.floor(rnd() * 600) }, () => (rnd() < 0.2 ? 0 : Math.floor(rnd() * 256)));
      const enc = cobsEncode(data);
      expect(enc.includes(0)).toBe(false);
      expect(Buffer.from(cobsDecode(enc)!)).toEqual(Buffer.from(data));
    }
  });

  it('rejects malformed input', () => {
    expect(cobsDecode(hex('05 11 22'))).toBeNull(); // code runs past the end
    expect(cobsDecode(hex('00'))).toBeNull();
    expect(cobsDecode(hex('03 11 00'))).toBeNull();
  });
});
