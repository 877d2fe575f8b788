/**
 * The receive stages alone and piped: frames split on 0x00, COBS-decoded, CRC-checked (CRC-16/CCITT-FALSE
 * check value 0x29B1 on "123456789") and decoded to typed frames; every rejection is counted; and a
 * fixed-seed fuzz of 20,000 corrupted streams never throws and never lets a corrupted frame through.
 */
import { describe, expect, it } from 'vitest';
import { ReasonCounter } from '@simhound/protocol';
import { seededRandom } from '@simhound/test-support/random';
import { CobsDecodeStage, CrcCheckStage, FRAME, cobsDecode, cobsEncode, FrameSplitter, createFramePipeline, crc16, encodeFrame, type DeviceFrame, type FrameRejection } from '../../src/index.js';

const report = (reportSeq: number, seq: number) => {
  const p = Buffer.alloc(52);
  p.writeUInt16LE(reportSeq, 0);
  p.writeUInt16LE(10, 2);
  for (let i = 0; i < 8; i++) {
    p.writeUInt16LE(i, 4 + i * 6);
    p.writeUInt16LE(100 + i, 6 + i * 6);
    p.writeUInt16LE(16 * (50 + i), 8 + i * 6);
  }
  return encodeFrame(FRAME.REPORT, seq, p);
};

async function run(bytes: Buffer[]): Promise<{ frames: DeviceFrame[]; rejects: ReasonCounter<FrameRejection> }> {
  const rejects = new ReasonCounter<FrameRejection>();
  const { input, output } = createFramePipeline(rejects);
  const frames: DeviceFrame[] = [];
  output.on('data', (f: DeviceFrame) => frames.push(f));
  for (const b of bytes) input.write(b);
  input.end();
  await new Promise<void>((r) => output.on('end', () => r()).resume());
  return { frames, rejects };
}

describe('frame stages', () => {
  it('CRC-16/CCITT-FALSE check value', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
  });

  it('decode a stream of reports split at arbitrary chunk boundaries', async () => {
    const stream = Buffer.concat([report(1, 1), report(2, 2), report(3, 3)]);
    const chunks = [stream.subarray(0, 5), stream.subarray(5, 70), stream.subarray(70)];
    const { frames, rejects } = await run(chunks);
    expect(frames.map((f) => (f.type === 'report' ? f.report_seq : -1))).toEqual([1, 2, 3]);
    expect(frames[0]).toMatchObject({ type: 'report', frame_count: 10 });
    expect((frames[0] as { slots: unknown[] }).slots[3]).toEqual({ bursts: 3, peak_adc: 103, mean_adc: 53 });
    expect(rejects.total).toBe(0);
  });

  it('each stage rejects what it is for, and the next delimiter resynchronises', async () => {
    const good = report(9, 9);
    // Valid COBS, wrong CRC: change a payload byte inside the frame and re-stuff it.
    const raw = cobsDecode(report(8, 8).subarray(0, -1))!;
    raw[5] = raw[5]! ^ 0x01;
    const badCrc = Buffer.concat([cobsEncode(raw), Buffer.from([0])]);
    const { frames, rejects } = await run([Buffer.from([0x41, 0x42, 0x43]), Buffer.from([0x00]), badCrc, Buffer.from([0x05, 0x01, 0x00]), Buffer.alloc(300, 0x7e), Buffer.from([0]), good]);
    expect(frames).toHaveLength(1);
    expect(rejects.toJSON()).toEqual({ bad_cobs: 2, bad_crc: 1, oversize: 1 });
  });

  it('stages work alone: splitter, COBS, CRC', async () => {
    const rejects = new ReasonCounter<FrameRejection>();
    const split = new FrameSplitter(rejects);
    const parts: Buffer[] = [];
    split.on('data', (b: Buffer) => parts.push(b));
    split.write(Buffer.from([1, 2, 0, 3, 0]));
    expect(parts.map((p) => [...p])).toEqual([[1, 2], [3]]);
    const cobs = new CobsDecodeStage(rejects);
    const out: Uint8Array[] = [];
    cobs.on('data', (d: Uint8Array) => out.push(d));
    cobs.write(Buffer.from([3, 0x11, 0x22, 2, 0x33]));
    expect([...out[0]!]).toEqual([0x11, 0x22, 0, 0x33]);
    const crc = new CrcCheckStage(rejects);
    const ok: Uint8Array[] = [];
    crc.on('data', (d: Uint8Array) => ok.push(d));
    crc.write(Uint8Array.of(1, 2));
    expect(rejects.toJSON()).toEqual({ too_short: 1 });
  });

  it('fuzz (fixed seed): 20,000 corrupted streams, no throw, no corrupted frame accepted', async () => {
    const rnd = seededRandom(0xc0b5);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const seqs = [i & 0xffff, (i + 1) & 0xffff];
      const stream = Buffer.concat(seqs.map((s, k) => report(s, k)));
      const flips = 1 + Math.floor(rnd() * 3);
      const corrupted = Buffer.from(stream);
      const changed = new Set<number>();
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(rnd() * corrupted.length);
        corrupted[at] = corrupted[at]! ^ (1 + Math.floor(rnd() * 255));
        changed.add(at);
      }
      const { frames, rejects } = await run([corrupted]);
      rejected += rejects.total;
      for (const f of frames) {
        accepted++;
        // Anything accepted must be one of the frames that was sent, bit for bit.
        expect(f.type).toBe('report');
        if (f.type === 'report') {
          expect(seqs).toContain(f.report_seq);
          expect(f.slots[7]).toEqual({ bursts: 7, peak_adc: 107, mean_adc: 57 });
        }
      }
    }
    expect(rejected).toBeGreaterThan(15_000);
    expect(accepted).toBeGreaterThan(5_000);
  }, 60_000);
});
