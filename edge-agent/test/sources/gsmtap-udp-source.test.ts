/**
 * The live GSMTAP UDP source on loopback with two concurrent senders (as two gr-gsm instances, one per
 * ARFCN, would be): every datagram is received, attributed to its sender, decoded and counted.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { CRAFTED_FRAMES, gsmtapV2 } from '@simhound/test-support/pcap-fixtures';
import { GsmFrameDecoder } from '../../src/gsm/frame-decoder.js';
import type { GsmEvent } from '../../src/gsm/events.js';
import { createSubRefHasher } from '../../src/privacy/sub-ref.js';
import { GsmtapUdpSource } from '../../src/sources/gsmtap-udp-source.js';

const sockets: Socket[] = [];
let source: GsmtapUdpSource | null = null;

afterEach(async () => {
  await source?.stop();
  source = null;
  for (const s of sockets.splice(0)) s.close();
});

async function sender(): Promise<Socket> {
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

function send(s: Socket, port: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => s.send(data, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

describe('GsmtapUdpSource', () => {
  it('receives from two concurrent senders, keeps them apart and counts everything', async () => {
    const events: GsmEvent[] = [];
    const decoder = new GsmFrameDecoder({ subRef: createSubRefHasher(Buffer.alloc(32, 1)) });
    source = new GsmtapUdpSource({ decoder, onEvent: (e) => events.push(e), port: 0 });
    const started = await source.start();
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const { port } = started.value;

    const paging = CRAFTED_FRAMES.find((f) => f.name === 'paging_request_3')!;
    const assignment = CRAFTED_FRAMES.find((f) => f.name === 'immediate_assignment_sdcch4')!;
    const a = await sender();
    const b = await sender();
    const perSender = 200;
    const sendAll = async (s: Socket, arfcn: number, frame: typeof paging) => {
      for (let i = 0; i < perSender; i++) {
        await send(s, port, gsmtapV2({ ...frame.header, arfcn, frame_number: 1000 + i }, frame.block));
      }
      // One garbage datagram each: counted as malformed, nothing crashes.
      await send(s, port, Buffer.from([0x09, 0x09, 0x09]));
    };
    await Promise.all([sendAll(a, 10, paging), sendAll(b, 20, assignment)]);

    const total = 2 * (perSender + 1);
    const deadline = Date.now() + 5000;
    while (source.stats().datagrams < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const stats = source.stats();
    expect(stats.datagrams).toBe(total);
    expect(Object.keys(stats.senders)).toHaveLength(2);
    for (const s of Object.values(stats.senders)) expect(s.datagrams).toBe(perSender + 1);
    expect(stats.outcomes.ok).toBe(2 * perSender);
    expect(stats.outcomes.bad_version).toBe(2);
    expect(events.filter((e) => e.type === 'Paging' && e.arfcn === 10)).toHaveLength(perSender);
    expect(events.filter((e) => e.type === 'Assignment' && e.arfcn === 20)).toHaveLength(perSender);
    // Each sender has its own cell state.
    expect(decoder.cells.all().map((c) => c.source).sort()).toEqual(Object.keys(stats.senders).sort());
  });

  it('reports a bind failure as a typed error', async () => {
    const decoder = new GsmFrameDecoder({ subRef: createSubRefHasher(Buffer.alloc(32, 1)) });
    const first = new GsmtapUdpSource({ decoder, onEvent: () => {}, port: 0 });
    const r1 = await first.start();
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    source = first;
    const second = new GsmtapUdpSource({ decoder, onEvent: () => {}, port: r1.value.port });
    const r2 = await second.start();
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.reason).toBe('bind_failed');
  });
});
