/**
 * Serial-probe benchmarks: (1) the probe MCU receive stages (0x00 split → COBS → CRC-16 → typed frame)
 * on 200,000 report frames in memory, next to serialport's DelimiterParser alone on the same bytes
 * (framing only) measured in the same run; (2) the modem's SIMCom AT+CENG parser on the real SIM800L
 * rows; (3) the real probe firmware in simavr unpaced (`simavr-runner --fast`): simulated time per
 * wall-clock second, counted from the report frames it sends (each covers `frames_per_report` TDMA
 * frames of 4.615 ms), next to real time (1 s per s).
 *
 * Run alone: node --conditions=source --import tsx bench/serial.ts
 */
import { readFileSync } from 'node:fs';
import { ReasonCounter } from '../protocol/src/index.js';
import { DelimiterParser } from 'serialport';
import { SerialPort } from 'serialport';
import { FRAME, TDMA_FRAME_MS, createFramePipeline, encodeFrame, CMD, u16le, type DeviceFrame, type FrameRejection } from '../firmware-bridge/src/index.js';
import { parseCengResponse } from '../edge-agent/src/modem/index.js';
import { startSimulatedProbe } from '../test-support/src/simavr-probe.js';
import type { Figure } from './figure.js';

function reportBytes(count: number): Buffer {
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const p = Buffer.alloc(52);
    p.writeUInt16LE(i & 0xffff, 0);
    p.writeUInt16LE(10, 2);
    for (let s = 0; s < 8; s++) p.writeUInt16LE((i + s) & 0x3ff, 6 + s * 6);
    frames.push(encodeFrame(FRAME.REPORT, i & 0xff, p));
  }
  return Buffer.concat(frames);
}

async function timeStream(bytes: Buffer, make: () => { input: NodeJS.WritableStream; output: NodeJS.ReadableStream }): Promise<{ seconds: number; count: number }> {
  const { input, output } = make();
  let count = 0;
  output.on('data', () => count++);
  const done = new Promise<void>((r) => output.on('end', () => r()));
  const t0 = process.hrtime.bigint();
  for (let at = 0; at < bytes.length; at += 4096) input.write(bytes.subarray(at, at + 4096));
  input.end();
  await done;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, count };
}

export async function benchSerial(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const N = 200_000;
  const bytes = reportBytes(N);
  const framingOnly = await timeStream(bytes, () => {
    const d = new DelimiterParser({ delimiter: [0] });
    return { input: d, output: d };
  });
  const full = await timeStream(bytes, () => createFramePipeline(new ReasonCounter<FrameRejection>()) as unknown as { input: NodeJS.WritableStream; output: NodeJS.ReadableStream });
  if (full.count !== N) throw new Error(`pipeline decoded ${full.count} of ${N} frames`);
  figures.push({
    name: 'probe_mcu_frame_pipeline_frames_per_s',
    description: 'Probe MCU receive stages (split → COBS → CRC-16 → typed report frame), in memory',
    value: N / full.seconds,
    unit: 'frames/s',
    reference: "serialport DelimiterParser alone (0x00 framing only), same bytes",
    reference_value: N / framingOnly.seconds,
    ratio: framingOnly.seconds / full.seconds,
    command: 'node --conditions=source --import tsx bench/serial.ts',
  });

  const rows = readFileSync(new URL('../edge-agent/test/vectors/modem/ceng-SIM800L.txt', import.meta.url), 'utf8').split(/\r?\n/).filter((l) => l.startsWith('+CENG'));
  const M = 200_000;
  const t0 = process.hrtime.bigint();
  let parsed = 0;
  for (let i = 0; i < M; i++) if (parseCengResponse([rows[i % rows.length]!]).ok) parsed++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (parsed !== M) throw new Error('CENG rows failed to parse');
  figures.push({
    name: 'modem_ceng_rows_per_s', description: 'SIMCom AT+CENG rows parsed (real SIM800L output)', value: M / seconds, unit: 'rows/s',
    reference: null, reference_value: null, ratio: null, command: 'node --conditions=source --import tsx bench/serial.ts',
  });

  // The real firmware in simavr, unpaced: how fast does the emulator run it?
  const sim = await startSimulatedProbe({ floor_mv: 250, noise_mv: 3, bursts: [{ slot: 2, first_frame: 0, last_frame: 1e9, mv: 1000 }] }, { fast: true });
  try {
    const port = new SerialPort({ path: sim.path, baudRate: 250000 });
    const { input, output } = createFramePipeline(new ReasonCounter<FrameRejection>());
    port.on('data', (c: Buffer) => input.write(c));
    let simulatedMs = 0;
    let started = 0;
    output.on('data', (f: DeviceFrame) => {
      if (f.type === 'report' && started > 0) simulatedMs += f.frame_count * TDMA_FRAME_MS;
    });
    await new Promise((r) => port.once('open', r));
    port.write(encodeFrame(CMD.SET_REPORT_RATE, 1, u16le(50)));
    port.write(encodeFrame(CMD.START, 2));
    await new Promise((r) => setTimeout(r, 500));
    started = performance.now();
    await new Promise((r) => setTimeout(r, 5000));
    const wallS = (performance.now() - started) / 1000;
    await new Promise((r) => port.close(() => r(undefined)));
    figures.push({
      name: 'simavr_probe_speed_x_realtime', description: 'Real probe firmware in simavr, unpaced: simulated time per wall second (from its reports)',
      value: simulatedMs / 1000 / wallS, unit: '× real time', reference: 'real time', reference_value: 1, ratio: simulatedMs / 1000 / wallS,
      command: 'node --conditions=source --import tsx bench/serial.ts',
    });
  } finally {
    await sim.stop();
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchSerial()) process.stdout.write(`${f.description}: ${f.value.toFixed(1)} ${f.unit}${f.reference ? ` (reference ${f.reference}: ${f.reference_value?.toFixed(1)})` : ''}\n`);
}
