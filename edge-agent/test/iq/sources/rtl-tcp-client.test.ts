/**
 * The rtl_tcp client against an rtl_tcp server emulator on loopback (test-support/src/rtl-tcp-server.ts,
 * the real protocol with its own command parser): commands on the wire, the real recording streamed
 * through the socket giving the same events as reading the file, a mid-stream disconnect (reconnect,
 * one discontinuity), a stall (watchdog: fatal, or reconnect), a server that is not rtl_tcp, and a
 * consumer slower than the stream (TCP backpressure, every sample still in order).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RtlTcpEmulator } from '@simhound/test-support/rtl-tcp-server';
import type { IqEvent } from '../../../src/iq/events.js';
import { IqPipeline } from '../../../src/iq/iq-pipeline.js';
import { RtlTcpClient, type RtlTcpClientOptions } from '../../../src/iq/sources/rtl-tcp-client.js';
import { replayIqFile } from '../../../src/iq/sources/iq-file-source.js';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const REAL_IQ = join(import.meta.dirname, '..', '..', 'vectors', 'iq', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile');
const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Samples whose bytes count up, so order and gaps can be checked: I = n mod 256, Q = (n >> 8) mod 256. */
function counting(start: number, count: number): Uint8Array {
  const b = new Uint8Array(2 * count);
  for (let k = 0; k < count; k++) {
    b[2 * k] = (start + k) & 0xff;
    b[2 * k + 1] = ((start + k) >> 8) & 0xff;
  }
  return b;
}

async function startPair(emulator: RtlTcpEmulator, options: Partial<RtlTcpClientOptions> & Pick<RtlTcpClientOptions, 'onSamples'>): Promise<RtlTcpClient> {
  const port = await emulator.start();
  running.push(emulator);
  const client = new RtlTcpClient({
    host: '127.0.0.1', port,
    tuning: { center_freq_hz: 941_000_000, sample_rate_hz: 1_000_000, gain_db: 40.2, ppm: -3, rtl_agc: false },
    reconnect_min_s: 0.05, reconnect_max_s: 0.2, stall_timeout_s: 0.5, ...options,
  });
  running.unshift(client);
  client.start();
  return client;
}

describe('rtl_tcp client ↔ emulator', () => {
  it('sends the tuning commands the server applies: rate, ppm, frequency, manual gain, AGC off', async () => {
    const emulator = new RtlTcpEmulator({ samples: (s, n) => counting(s, n), speed: 10 });
    const client = await startPair(emulator, { onSamples: () => {} });
    await until('samples', () => client.stats.samples > 1000);
    expect(emulator.commands.map((c) => [c.code, c.param_signed])).toEqual([[2, 1_000_000], [5, -3], [1, 941_000_000], [3, 1], [4, 402], [8, 0]]);
    expect(emulator.tuning).toMatchObject({ center_freq_hz: 941_000_000, sample_rate_hz: 1_000_000, gain_mode: 1, gain_tenth_db: 402, ppm: -3, agc: 0 });
    expect(client.stats.dongle).toEqual({ tuner: 'R820T', tuner_type: 5, gain_count: 29 });
    client.setFrequency(947_400_000);
    await until('retune', () => emulator.tuning.center_freq_hz === 947_400_000);
  });

  it('streams the real recording through the socket into the pipeline with the same events as reading the file', async () => {
    // The recording (complex64) as rtl_sdr bytes; the file path reads the very same bytes.
    const floats = readFileSync(REAL_IQ);
    const bytes = Buffer.alloc(floats.length / 4);
    for (let k = 0; k < bytes.length; k++) bytes[k] = Math.max(0, Math.min(255, Math.round(floats.readFloatLE(4 * k) / 128 + 127.5)));
    const dir = mkdtempSync(join(tmpdir(), 'simhound-rtltcp-'));
    try {
      const path = join(dir, 'real.cu8');
      writeFileSync(path, bytes);
      const fromFile: IqEvent[] = [];
      const fileRun = await replayIqFile(path, { sample_rate_hz: 500_000, center_freq_hz: 941e6, band_scan: false, pipeline: { report_interval_s: 0.04 }, onEvent: (e) => fromFile.push(e) });
      expect(fileRun.ok && fileRun.value.sch_decoded).toBe(4);

      const fromSocket: IqEvent[] = [];
      const created = IqPipeline.create({ format: 'cu8', sample_rate_hz: 500_000, center_freq_hz: 941e6, band: 'GSM900', report_interval_s: 0.04 }, (e) => fromSocket.push(e));
      if (!created.ok) throw new Error(created.detail);
      const emulator = new RtlTcpEmulator({ samples: (s, n) => (s >= bytes.length / 2 ? null : bytes.subarray(2 * s, 2 * Math.min(s + n, bytes.length / 2))), speed: Infinity, chunk_samples: 3_001 });
      const client = await startPair(emulator, { onSamples: (c) => created.value.push(c), tuning: { center_freq_hz: 941e6, sample_rate_hz: 500_000, gain_db: 'auto', ppm: 0, rtl_agc: false } });
      await until('whole recording', () => client.stats.samples >= bytes.length / 2);
      created.value.flush();
      expect(fromSocket).toEqual(fromFile);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reconnects after a mid-stream disconnect and marks exactly one discontinuity', async () => {
    let discontinuities = 0;
    let received = 0;
    const emulator = new RtlTcpEmulator({ samples: (s, n) => counting(s, n), speed: 20 });
    emulator.disconnectAfter(200_000);
    const errors: string[] = [];
    const client = await startPair(emulator, { onSamples: (c) => (received += c.length / 2), onDiscontinuity: () => discontinuities++, onError: (r) => errors.push(r) });
    await until('second connection streaming', () => emulator.connections === 2 && received > 300_000);
    expect(discontinuities).toBe(1);
    expect(client.stats.reconnects).toBe(1);
    expect(errors).toContain('disconnected');
    expect(client.stats.errors.disconnected).toBe(1);
    // The second connection resumes the dongle's counter: the first bytes after it continue the count.
    expect(client.stats.connected).toBe(true);
  });

  it('turns a stall into an error and, by default, a fatal exit for systemd', async () => {
    const fatal: string[] = [];
    const emulator = new RtlTcpEmulator({ samples: (s, n) => counting(s, n), speed: 5 });
    const client = await startPair(emulator, { onSamples: () => {}, onFatal: (r, d) => fatal.push(`${r}: ${d}`) });
    await until('streaming', () => client.stats.samples > 10_000);
    emulator.stall();
    const stalledAt = Date.now();
    await until('fatal', () => fatal.length > 0, 5_000);
    expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(450);
    expect(fatal[0]).toMatch(/^stall: no samples for/);
    expect(client.stats.errors.stall).toBe(1);
  });

  it('reconnects instead when exit_on_stall is off, and streams again after the server recovers', async () => {
    const emulator = new RtlTcpEmulator({ samples: (s, n) => counting(s, n), speed: 5 });
    let received = 0;
    const client = await startPair(emulator, { onSamples: (c) => (received += c.length), exit_on_stall: false });
    await until('streaming', () => received > 10_000);
    emulator.stall();
    await until('stall detected', () => client.stats.errors.stall === 1);
    emulator.resume();
    const before = received;
    await until('reconnected and streaming', () => emulator.connections >= 2 && received > before + 20_000);
    expect(client.stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('refuses a server that is not rtl_tcp (bad header) and delivers no samples', async () => {
    let samples = 0;
    const emulator = new RtlTcpEmulator({ samples: (s, n) => counting(s, n), header: Buffer.from('HTTP/1.1 200'), speed: 5 });
    const client = await startPair(emulator, { onSamples: (c) => (samples += c.length) });
    await until('bad header', () => client.stats.errors.bad_header >= 2);
    expect(samples).toBe(0);
    expect(client.stats.connected).toBe(false);
  });

  it('holds a slow consumer to the stream with TCP backpressure: memory stays a chunk, every sample arrives in order', async () => {
    let next = 0;
    let outOfOrder = 0;
    const emulator = new RtlTcpEmulator({ samples: (s, n) => counting(s, n), speed: Infinity, chunk_samples: 65_536 });
    const client = await startPair(emulator, {
      onSamples: (c) => {
        for (let k = 0; k + 1 < c.length; k += 2) {
          if (c[k] !== (next & 0xff) || c[k + 1] !== ((next >> 8) & 0xff)) outOfOrder++;
          next++;
        }
        const busy = Date.now() + 3;
        while (Date.now() < busy) {
          // a pipeline slower than the dongle
        }
      },
    });
    await until('a few million samples', () => next > 3_000_000, 30_000);
    expect(outOfOrder).toBe(0);
    expect(emulator.drain_waits).toBeGreaterThan(0);
    // The server never ran ahead of the client by more than the kernel's socket buffers.
    expect(emulator.sent - client.stats.samples).toBeLessThan(8 * 1024 * 1024);
  });
});
