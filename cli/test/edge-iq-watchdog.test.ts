/**
 * `simhound edge` with an rtl_tcp iq source: when the SDR stream stalls (the emulator stays connected
 * and sends nothing, like a hung dongle), the watchdog ends the agent with exit code 5 and says why,
 * so systemd (Restart=on-failure) restarts it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import { generateSigningKeyPair } from '@simhound/protocol';
import { RtlTcpEmulator } from '@simhound/test-support/rtl-tcp-server';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}node_modules/.bin/simhound`;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('simhound edge with an rtl_tcp source', () => {
  it('exits 5 when the SDR stalls', async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm install\``);
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => broker.close(() => r()))));
    const emulator = new RtlTcpEmulator({ samples: (_s, n) => new Uint8Array(2 * n).fill(128), speed: 1 });
    const port = await emulator.start();
    cleanups.push(() => emulator.stop());

    const dir = mkdtempSync(join(tmpdir(), 'simhound-edge-iq-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'probe.pem'), generateSigningKeyPair().private_key_pem);
    writeFileSync(join(dir, 'pseudonym.key'), Buffer.alloc(32, 9));
    writeFileSync(
      join(dir, 'edge.yaml'),
      [
        'site: lab',
        'probe: sdr-2',
        'keys: { signing_key_file: probe.pem, pseudonym_key_file: pseudonym.key }',
        `mqtt: { url: "mqtt://127.0.0.1:${(server.address() as AddressInfo).port}" }`,
        'sources:',
        `  - { kind: iq, name: dongle, rtl_tcp: { port: ${port} }, center_freq_hz: 947000000, watchdog: { stall_timeout_s: 0.5 } }`,
      ].join('\n'),
    );
    const child = spawn(bin, ['edge', '--config', join(dir, 'edge.yaml')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const deadline = Date.now() + 20_000;
    while (emulator.sent < 200_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(emulator.sent).toBeGreaterThanOrEqual(200_000);
    emulator.stall();
    const code = await exited;
    expect(code, stderr).toBe(5);
    expect(stderr).toMatch(/rtl_tcp stall: no samples for/);
  }, 30_000);
});
