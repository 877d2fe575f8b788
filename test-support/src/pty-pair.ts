/**
 * A pair of connected pseudo-terminals made by socat, for emulated serial devices in tests: one end
 * (`devicePath`) is where the emulated modem/MCU sits, the other (`hostPath`) is what the code under
 * test opens like `/dev/serial/by-id/…`. Both are stable symlinks in a fresh temp dir (unique per run,
 * so parallel test files never collide). `unplug()` kills socat — both ptys vanish, as when a USB
 * device is pulled — and `plug()` brings a new pair up under the same paths, as after a replug.
 * Test-only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './service-process.js';

export interface PtyPair {
  readonly devicePath: string;
  readonly hostPath: string;
  unplug(): Promise<void>;
  plug(): Promise<void>;
  close(): Promise<void>;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function createPtyPair(name = 'dev'): Promise<PtyPair> {
  const socat = requireBinary('socat', 'socat');
  const dir = mkdtempSync(join(tmpdir(), `simhound-pty-${name}-`));
  const devicePath = join(dir, `${name}-device`);
  const hostPath = join(dir, `${name}-host`);
  let child: ChildProcess | null = null;
  let output = '';

  const plug = async () => {
    if (child) return;
    output = '';
    const c = spawn(socat, ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child = c;
    await waitFor(() => existsSync(devicePath) && existsSync(hostPath), 5000, `socat ptys (${output})`);
  };
  const unplug = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await gone;
    await waitFor(() => !existsSync(devicePath) && !existsSync(hostPath), 5000, 'socat links to vanish');
  };
  await plug();
  return {
    devicePath,
    hostPath,
    plug,
    unplug,
    async close() {
      await unplug();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
