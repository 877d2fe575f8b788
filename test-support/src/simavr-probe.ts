/**
 * Test harness: builds the real probe firmware and the simavr runner (make), and runs the firmware in
 * simavr behind a pty with a unique path per run, its ADC fed from a trace of GSM uplink bursts.
 * `reset()` restarts the MCU mid-stream, `corrupt()` flips bits in the next 16 bytes it sends,
 * `kill()`/`restart()` take the device away and bring a fresh one back at the same path. Test-only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIRMWARE_DIR = fileURLToPath(new URL('../../firmware-bridge/firmware/', import.meta.url));
export const FIRMWARE_ELF = join(FIRMWARE_DIR, 'build/probe.elf');
export const RUNNER = join(FIRMWARE_DIR, 'build/simavr-runner');

export interface TraceBurst {
  slot: number;
  first_frame: number;
  last_frame: number;
  mv: number;
}

export interface Trace {
  floor_mv: number;
  noise_mv?: number;
  seed?: number;
  bursts: TraceBurst[];
}

/** Burst length and TDMA timing the runner uses (simavr-runner.c). */
export const BURST_US = 542.8;
export const FRAME_US = 60_000 / 13;

/** make -C firmware (idempotent); throws with make's output, e.g. when gcc-avr or libsimavr-dev is missing. */
export function buildFirmware(): void {
  const r = spawnSync('make', ['-C', FIRMWARE_DIR], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`building the probe firmware failed (needs gcc-avr avr-libc simavr libsimavr-dev libelf-dev: scripts/install-system-packages.sh)\n${r.error?.message ?? ''}${r.stdout}${r.stderr}`);
  }
}

export interface SimulatedProbe {
  readonly path: string;
  output(): string;
  reset(): Promise<void>;
  corrupt(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulatedProbe(trace: Trace, options: { fast?: boolean } = {}): Promise<SimulatedProbe> {
  buildFirmware();
  const dir = mkdtempSync(join(tmpdir(), 'simhound-probe-'));
  const path = join(dir, 'probe-mcu');
  const traceFile = join(dir, 'trace.txt');
  writeFileSync(
    traceFile,
    [`floor_mv ${trace.floor_mv}`, `noise_mv ${trace.noise_mv ?? 0}`, `seed ${trace.seed ?? 1}`, ...trace.bursts.map((b) => `burst ${b.slot} ${b.first_frame} ${b.last_frame} ${b.mv}`)].join('\n') + '\n',
  );
  let child: ChildProcess | null = null;
  let out = '';
  const waitLine = (text: string, timeoutMs = 5000) =>
    new Promise<void>((resolve, reject) => {
      const start = Date.now();
      const poll = () => {
        if (out.includes(text)) return resolve();
        if (Date.now() - start > timeoutMs) return reject(new Error(`simavr runner did not print ${text}: ${out}`));
        setTimeout(poll, 10);
      };
      poll();
    });
  const launch = async () => {
    out = '';
    const c = spawn(RUNNER, [...(options.fast ? ['--fast'] : []), FIRMWARE_ELF, path, traceFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child = c;
    await waitLine(`READY ${path}`);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await gone;
  };
  const signal = async (sig: NodeJS.Signals, ack: string) => {
    const before = out.split(ack).length;
    child?.kill(sig);
    const start = Date.now();
    while (out.split(ack).length === before) {
      if (Date.now() - start > 5000) throw new Error(`runner did not acknowledge ${sig}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await launch();
  return {
    path,
    output: () => out,
    reset: () => signal('SIGUSR1', 'RESET'),
    corrupt: () => signal('SIGUSR2', 'CORRUPT'),
    kill,
    restart: launch,
    async stop() {
      await kill();
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
