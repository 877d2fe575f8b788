/**
 * GSM decode benchmark: decoded GSMTAP frames/s of the full replay pipeline (file → link layer → GSMTAP
 * → L2 → L3 → events) on (1) the real vf_call6 capture looped into a large pcap and (2) a 1,000,000-
 * frame synthetic capture of valid frames of several message types, each next to `tshark -r <same
 * file> -T fields …` timed in the same run; (3) the frame decoder alone on in-memory frames, and the
 * synthetic replay with vs without the dedicated-session tracker; (4) RSS while replaying a
 * 10,000,000-frame capture (start / peak / end).
 *
 * Run alone: node --import tsx bench/gsm-decode.ts
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GsmtapCaptureBuffer } from '../simulator/src/capture/pcap-writer.js';
import { CRAFTED_FRAMES, gsmtapV2 } from '../test-support/src/pcap-fixtures.js';
import { DedicatedSessionTracker } from '../edge-agent/src/gsm/dedicated-session.js';
import { GsmFrameDecoder } from '../edge-agent/src/gsm/frame-decoder.js';
import { createSubRefHasher } from '../edge-agent/src/privacy/sub-ref.js';
import { replayCapture } from '../edge-agent/src/replay.js';
import type { Figure } from './figure.js';

const REAL_CAPTURE = join(import.meta.dirname, '..', 'edge-agent', 'test', 'vectors', 'vf_call6_bcch_ccch_ts0.scrubbed.pcap');
const TSHARK_FIELDS = ['gsmtap.frame_nr', 'gsm_a.dtap.msg_rr_type', 'gsm_a.rr.ra', 'gsm_a.rr.timing_adv', 'e212.imsi', '3gpp.tmsi', 'gsm_a.tmsi'];
const KEY = Buffer.alloc(32, 0x42);

/** Records (header + data) of a little-endian classic pcap, and its 24-byte global header. */
function pcapRecords(file: string | Buffer): { header: Buffer; records: Buffer[] } {
  const f = typeof file === 'string' ? readFileSync(file) : file;
  const records: Buffer[] = [];
  let p = 24;
  while (p + 16 <= f.length) {
    const len = f.readUInt32LE(p + 8);
    records.push(f.subarray(p, p + 16 + len));
    p += 16 + len;
  }
  return { header: f.subarray(0, 24), records };
}

/** Stream `count` records (cycling through `records`) into a pcap without holding it in memory. */
function writeLooped(path: string, header: Buffer, records: readonly Buffer[], count: number): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    writeSync(fd, header);
    bytes += header.length;
    const batch: Buffer[] = [];
    let batchBytes = 0;
    for (let i = 0; i < count; i++) {
      const r = records[i % records.length]!;
      batch.push(r);
      batchBytes += r.length;
      if (batchBytes > 4 << 20) {
        writeSync(fd, Buffer.concat(batch));
        bytes += batchBytes;
        batch.length = 0;
        batchBytes = 0;
      }
    }
    if (batch.length > 0) {
      writeSync(fd, Buffer.concat(batch));
      bytes += batchBytes;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Synthetic records: the hand-made vectors (every decoded message type) with advancing frame numbers. */
function syntheticRecords(): { header: Buffer; records: Buffer[] } {
  const capture = GsmtapCaptureBuffer.create({ format: 'pcap' });
  if (!capture.ok) throw new Error(capture.reason);
  for (let i = 0; i < 1024; i++) {
    const f = CRAFTED_FRAMES[i % CRAFTED_FRAMES.length]!;
    const fn = 2_000_000 + i * 4;
    capture.value.write(gsmtapV2({ ...f.header, frame_number: fn, arfcn: 1 + (i % 7) }, f.block), Math.round(fn * (120 / 26) * 1000));
  }
  return pcapRecords(capture.value.toBuffer());
}

function timeTshark(path: string): Promise<number> {
  const args = ['-r', path, '-n', '-T', 'fields', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('tshark', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`tshark exit ${code}`))));
  });
}

async function timeReplay(path: string, sample?: (frame: number) => void): Promise<{ seconds: number; frames: number; events: number }> {
  const subRef = createSubRefHasher(KEY);
  let events = 0;
  const t0 = performance.now();
  const r = await replayCapture(path, {
    subRef,
    onEvent: () => {
      events++;
    },
    onFrame: sample === undefined ? undefined : (n) => sample(n),
  });
  const seconds = (performance.now() - t0) / 1000;
  if (!r.ok) throw new Error(`replay failed: ${r.reason}`);
  return { seconds, frames: r.value.gsmtap_frames, events };
}

const mb = (bytes: number) => Math.round((bytes / (1 << 20)) * 10) / 10;
const round = (v: number, digits = 0) => Math.round(v * 10 ** digits) / 10 ** digits;

const BENCH_COMMAND = '`npm run bench` (or alone: `node --conditions=source --import tsx bench/gsm-decode.ts`); best of one timed run after a warm-up, tshark timed on the same file in the same run';

export async function benchGsmDecode(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-bench-gsm-'));
  const figures: Figure[] = [];
  try {
    const tsharkCmd = `tshark -r <file> -n -T fields ${TSHARK_FIELDS.map((f) => `-e ${f}`).join(' ')} > /dev/null`;

    // (1) real capture, looped.
    const real = pcapRecords(REAL_CAPTURE);
    const loopedFrames = real.records.length * 1000;
    const looped = join(dir, 'real-looped.pcap');
    writeLooped(looped, real.header, real.records, loopedFrames);
    await timeReplay(looped); // warm-up (JIT)
    const ours1 = await timeReplay(looped);
    const tshark1 = await timeTshark(looped);
    const v1 = ours1.frames / ours1.seconds;
    const r1 = loopedFrames / tshark1;
    figures.push({
      name: 'gsmtap_decode_real_capture_frames_per_s',
      description: `replayCapture on the real vf_call6 BCCH/CCCH capture looped to ${loopedFrames.toLocaleString('en')} frames (${ours1.events.toLocaleString('en')} events), one core`,
      value: round(v1),
      unit: 'frames/s',
      reference: tsharkCmd,
      reference_value: round(r1),
      ratio: round(v1 / r1, 2),
      command: BENCH_COMMAND,
    });

    // (2) 1,000,000 synthetic frames of every decoded message type.
    const synth = syntheticRecords();
    const synthPath = join(dir, 'synthetic-1m.pcap');
    writeLooped(synthPath, synth.header, synth.records, 1_000_000);
    const ours2 = await timeReplay(synthPath);
    const tshark2 = await timeTshark(synthPath);
    const v2 = ours2.frames / ours2.seconds;
    const r2 = 1_000_000 / tshark2;
    figures.push({
      name: 'gsmtap_decode_synthetic_1m_frames_per_s',
      description: `replayCapture on a 1,000,000-frame synthetic capture (${CRAFTED_FRAMES.length} message kinds: pagings 1/2/3, IA/IAX/IAR, CM service, LU, identity/paging response), ${ours2.events.toLocaleString('en')} events`,
      value: round(v2),
      unit: 'frames/s',
      reference: tsharkCmd,
      reference_value: round(r2),
      ratio: round(v2 / r2, 2),
      command: BENCH_COMMAND,
    });

    // (3) frame decoder alone on in-memory GSMTAP frames (no file, no IP).
    const frames = synth.records.map((r) => r.subarray(16 + 14 + 20 + 8));
    const decoder = new GsmFrameDecoder({ subRef: createSubRefHasher(KEY) });
    let sink = 0;
    const emit = () => {
      sink++;
    };
    const n = 2_000_000;
    for (let i = 0; i < 200_000; i++) decoder.decode(frames[i % frames.length]!, 0, frames[i % frames.length]!.length, i, 'bench', emit);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const f = frames[i & 1023]!;
      decoder.decode(f, 0, f.length, i, 'bench', emit);
    }
    const v3 = n / ((performance.now() - t0) / 1000);
    figures.push({
      name: 'gsmtap_frame_decoder_in_memory_frames_per_s',
      description: `GsmFrameDecoder.decode alone on in-memory GSMTAP frames (synthetic mix), ${sink.toLocaleString('en')} events`,
      value: round(v3),
      unit: 'frames/s',
      reference: null,
      reference_value: null,
      ratio: null,
      command: BENCH_COMMAND,
    });
    // (3b) the dedicated-session tracker's cost: the synthetic capture (half its frames are assignments or
    // SDCCH frames the tracker follows) replayed with and without it, interleaved, CPU time.
    const cpuRate = async (withTracker: boolean): Promise<number> => {
      const subRef = createSubRefHasher(KEY);
      const decoder = new GsmFrameDecoder({ subRef, sessions: withTracker ? new DedicatedSessionTracker() : null });
      const c0 = process.cpuUsage();
      const r = await replayCapture(synthPath, { subRef, decoder, onEvent: () => {} });
      const c = process.cpuUsage(c0);
      if (!r.ok) throw new Error(`replay failed: ${r.reason}`);
      return r.value.gsmtap_frames / ((c.user + c.system) / 1e6);
    };
    const withRates: number[] = [];
    const withoutRates: number[] = [];
    for (let k = 0; k < 5; k++) {
      // Alternate which goes first, so neither gets the warmer heap every time.
      if (k % 2 === 0) {
        withRates.push(await cpuRate(true));
        withoutRates.push(await cpuRate(false));
      } else {
        withoutRates.push(await cpuRate(false));
        withRates.push(await cpuRate(true));
      }
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    figures.push({
      name: 'gsmtap_decode_with_session_tracker_frames_per_cpu_s',
      description: 'replayCapture on the 1,000,000-frame synthetic capture with the dedicated-session tracker, frames per CPU second (median of 5, interleaved with the reference)',
      value: round(median(withRates)),
      unit: 'frames/s',
      reference: 'the same replay with a GsmFrameDecoder without session tracker',
      reference_value: round(median(withoutRates)),
      ratio: round(median(withRates) / median(withoutRates), 3),
      command: BENCH_COMMAND,
    });
    rmSync(synthPath);

    // (4) RSS over a 10,000,000-frame capture (written to disk, streamed back).
    const bigPath = join(dir, 'real-10m.pcap');
    const bigBytes = writeLooped(bigPath, real.header, real.records, 10_000_000);
    global.gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    const ours4 = await timeReplay(bigPath, (frame) => {
      if ((frame & 0xffff) === 0) {
        const rss = process.memoryUsage().rss;
        if (rss > peak) peak = rss;
      }
    });
    const end = process.memoryUsage().rss;
    if (end > peak) peak = end;
    figures.push({
      name: 'gsmtap_decode_10m_rss_peak_mb',
      description: `peak RSS while replaying a 10,000,000-frame capture (${mb(bigBytes)} MB file, ${round(ours4.frames / ours4.seconds)} frames/s): start ${mb(start)} MB, peak ${mb(peak)} MB, end ${mb(end)} MB`,
      value: mb(peak),
      unit: 'MB',
      reference: 'RSS before the replay started',
      reference_value: mb(start),
      ratio: round(peak / start, 2),
      command: BENCH_COMMAND,
    });
    figures.push({
      name: 'gsmtap_decode_10m_rss_end_mb',
      description: 'RSS after replaying the 10,000,000-frame capture',
      value: mb(end),
      unit: 'MB',
      reference: 'RSS before the replay started',
      reference_value: mb(start),
      ratio: round(end / start, 2),
      command: BENCH_COMMAND,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchGsmDecode();
  for (const f of figures) {
    const ref = f.reference_value === null ? '' : ` (reference ${f.reference_value}, ratio ${f.ratio})`;
    process.stdout.write(`${f.name}: ${f.value} ${f.unit}${ref}\n  ${f.description}\n`);
  }
}
