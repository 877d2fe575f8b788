/**
 * rtl_tcp wire format: the 12-byte dongle header and 5-byte big-endian commands, against bytes written
 * out by hand from the protocol (librtlsdr's rtl_tcp), plus a seeded fuzz of the header parser.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@simhound/test-support/random';
import { decodeCommand, encodeCommand, encodeDongleInfo, parseDongleInfo, tuningCommands } from '../../../src/iq/sources/rtl-tcp-protocol.js';

describe('rtl_tcp protocol', () => {
  it('parses the dongle header: "RTL0", R820T (5), 29 gains', () => {
    const header = Buffer.from([0x52, 0x54, 0x4c, 0x30, 0, 0, 0, 5, 0, 0, 0, 29]);
    expect(parseDongleInfo(header)).toEqual({ ok: true, value: { tuner: 'R820T', tuner_type: 5, gain_count: 29 } });
    expect(encodeDongleInfo(5, 29)).toEqual(header);
  });

  it('refuses a short header and a non-rtl_tcp server with typed reasons', () => {
    expect(parseDongleInfo(Buffer.from('RTL0'))).toMatchObject({ ok: false, reason: 'short_header' });
    expect(parseDongleInfo(Buffer.from('HTTP/1.1 200'))).toMatchObject({ ok: false, reason: 'bad_magic' });
  });

  it('encodes commands as one byte and a big-endian u32 (negative ppm as two\'s complement)', () => {
    expect([...encodeCommand('set_frequency', 941_000_000)]).toEqual([0x01, 0x38, 0x16, 0x85, 0x40]);
    expect([...encodeCommand('set_sample_rate', 2_400_000)]).toEqual([0x02, 0x00, 0x24, 0x9f, 0x00]);
    expect([...encodeCommand('set_gain', 402)]).toEqual([0x04, 0, 0, 0x01, 0x92]);
    expect([...encodeCommand('set_freq_correction', -3)]).toEqual([0x05, 0xff, 0xff, 0xff, 0xfd]);
    expect(decodeCommand(encodeCommand('set_freq_correction', -3))).toEqual({ code: 5, name: 'set_freq_correction', param: 0xfffffffd, param_signed: -3 });
  });

  it('sends a full tuning: rate, ppm, frequency, manual gain in tenths of a dB, RTL AGC off', () => {
    const cmds = tuningCommands({ center_freq_hz: 947.2e6, sample_rate_hz: 2.4e6, gain_db: 40.2, ppm: 7, rtl_agc: false });
    expect(cmds.map((c) => [c[0], c.readUInt32BE(1)])).toEqual([[2, 2_400_000], [5, 7], [1, 947_200_000], [3, 1], [4, 402], [8, 0]]);
    expect(tuningCommands({ center_freq_hz: 1e9, sample_rate_hz: 1e6, gain_db: 'auto', ppm: 0, rtl_agc: true }).map((c) => c[0])).toEqual([2, 5, 1, 3, 8]);
  });

  it('never throws on random header bytes and answers every one with a value or a typed reason (seeded fuzz)', () => {
    const random = seededRandom(1234);
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const b = Buffer.alloc(Math.floor(random() * 16));
      for (let k = 0; k < b.length; k++) b[k] = Math.floor(random() * 256);
      if (i % 3 === 0 && b.length >= 4) b.write('RTL0', 0, 'latin1');
      const r = parseDongleInfo(b);
      const key = r.ok ? 'ok' : r.reason;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    expect(Object.keys(outcomes).sort()).toEqual(['bad_magic', 'ok', 'short_header']);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(20_000);
  });
});
