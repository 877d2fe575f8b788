import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { GsmtapUdpSender } from '../../src/capture/udp-sender.js';
import { GSMTAP_CHANNEL, encodeGsmtapV2, encodePagingRequestType1 } from '../../src/encode/index.js';
import { unwrap } from '../encode/tshark-roundtrip.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

async function listen(): Promise<{ port: number; received: Buffer[] }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const received: Buffer[] = [];
  socket.on('message', (msg) => received.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: (socket.address() as AddressInfo).port, received };
}

function datagram(frameNumber: number): Uint8Array {
  return unwrap(
    encodeGsmtapV2(
      { channel: GSMTAP_CHANNEL.CCCH, timeslot: 0, arfcn: 30, frame_number: frameNumber },
      unwrap(encodePagingRequestType1({ identity_1: { type: 'tmsi', tmsi: frameNumber } })),
    ),
  );
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

describe('GsmtapUdpSender', () => {
  it('delivers every datagram byte for byte to a real UDP listener and counts them', async () => {
    const { port, received } = await listen();
    const opened = await GsmtapUdpSender.open({ host: '127.0.0.1', port });
    if (!opened.ok) throw new Error(opened.reason);
    const sender = opened.value;
    const sent = Array.from({ length: 500 }, (_, i) => datagram(i));
    for (const [i, d] of sent.entries()) {
      sender.send(d);
      if (i % 50 === 49) {
        // UDP is lossy: pace like the simulator clock does so the listener's socket buffer never overflows.
        await sender.flush();
        await sleep(2);
      }
    }
    await sender.flush();
    await waitFor(() => received.length === sent.length);
    expect(received.map((b) => b.toString('hex'))).toEqual(sent.map((d) => Buffer.from(d).toString('hex')));
    const counters = await sender.close();
    expect(counters).toMatchObject({
      sent_datagrams: 500,
      sent_octets: sent.reduce((n, d) => n + d.length, 0),
      send_errors: 0,
      in_flight: 0,
    });
  });

  it('keeps running and counts errors when nobody listens (ICMP port unreachable)', async () => {
    const { port } = await listen();
    sockets.pop()?.close(); // the port is now closed
    await sleep(20);
    const opened = await GsmtapUdpSender.open({ port });
    if (!opened.ok) throw new Error(opened.reason);
    const sender = opened.value;
    for (let i = 0; i < 20; i++) {
      sender.send(datagram(i));
      await sender.flush();
      await sleep(5);
    }
    const counters = await sender.close();
    expect(counters.sent_datagrams + counters.send_errors).toBe(20);
    expect(counters.socket_errors).toBeGreaterThan(0);
    expect(counters.errors_by_code.ECONNREFUSED).toBe(counters.socket_errors);
    expect(counters.in_flight).toBe(0);
  });

  it('fails to open with a typed reason instead of throwing', async () => {
    expect(await GsmtapUdpSender.open({ host: '127.0.0.1', port: 70000 })).toMatchObject({ ok: false, reason: 'connect_failed' });
  });
});
