/**
 * ReconnectingSerialPort on a socat pty pair: opens by path, passes bytes both ways, notices the
 * device vanishing, retries with backoff while it is away, and reopens when it is back at the same
 * path; a kernel name like /dev/ttyUSB0 is flagged in favour of its /dev/serial/by-id link.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { createPtyPair } from '@simhound/test-support/pty-pair';
import { ReconnectingSerialPort, byIdAlias } from '../../src/index.js';

const until = async (check: () => boolean, ms: number, what: string) => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ReconnectingSerialPort', () => {
  it('reopens by path after the device vanished and came back', async () => {
    const pty = await createPtyPair('rp');
    const port = new ReconnectingSerialPort({ path: pty.hostPath, baudRate: 115200, min_backoff_ms: 20, max_backoff_ms: 80 });
    const device = new SerialPort({ path: pty.devicePath, baudRate: 115200 });
    try {
      const got: Buffer[] = [];
      const events: string[] = [];
      port.on('data', (b: Buffer) => got.push(b));
      port.on('open', () => events.push('open'));
      port.on('close', () => events.push('close'));
      port.start();
      await port.waitOpen();
      if (!device.isOpen) await new Promise((r) => device.once('open', r));
      device.write('ping');
      await until(() => Buffer.concat(got).toString() === 'ping', 2000, 'bytes from the device');
      expect(port.write('pong')).toBe(true);
      await new Promise((r) => device.close(() => r(undefined)));
      await pty.unplug();
      await until(() => events.includes('close'), 3000, 'close');
      expect(port.isOpen()).toBe(false);
      expect(port.write('lost')).toBe(false);
      await new Promise((r) => setTimeout(r, 300));
      expect(port.stats.open_failures).toBeGreaterThanOrEqual(2);
      await pty.plug();
      await until(() => events.filter((e) => e === 'open').length === 2, 5000, 'reopen');
      expect(port.stats).toMatchObject({ opens: 2, disconnects: 1, bytes_in: 4, bytes_out: 4 });
    } finally {
      await port.stop();
      if (device.isOpen) await new Promise((r) => device.close(() => r(undefined)));
      await pty.close();
    }
  });

  it('finds the by-id link for a kernel name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-byid-'));
    try {
      symlinkSync('/dev/null', join(dir, 'usb-Quectel_EC25-if02-port0'));
      expect(byIdAlias('/dev/ttyUSB7', dir)).toBeNull();
      expect(byIdAlias('/dev/serial/by-id/usb-x', dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
