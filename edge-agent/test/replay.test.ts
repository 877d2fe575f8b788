/**
 * replayCapture: the capture → link layer → GSMTAP → decoder pipeline behind `simhound replay`. Counts
 * add up (packets = GSMTAP frames + link skips; frames = sum of outcomes), messages are named, events
 * carry their packet number, and a pcapng, a broken file and a missing file behave.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSubRefHasher } from '../src/privacy/sub-ref.js';
import { replayCapture } from '../src/replay.js';

const subRef = createSubRefHasher(Buffer.alloc(32, 3));
const VECTORS = join(import.meta.dirname, 'vectors');

describe('replayCapture', () => {
  it('summarises a real capture: outcomes add up to frames, messages are named', async () => {
    const path = join(VECTORS, 'vf_call6_bcch_ccch_ts0.scrubbed.pcap');
    const seen: number[] = [];
    const r = await replayCapture(path, { subRef, onEvent: (_e, n) => seen.push(n) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect(s.packets).toBe(399);
    expect(s.gsmtap_frames).toBe(399);
    expect(Object.values(s.outcomes).reduce((a, b) => a + b, 0)).toBe(399);
    expect(s.messages.paging_request_1).toBe(318);
    expect(s.messages.notification_nch).toBe(33);
    expect(s.events_by_type.notification_nch).toBe(33);
    expect(s.events_by_type.immediate_assignment).toBe(2);
    expect(seen).toContain(258);
    expect(s.events).toBe(seen.length);
  });

  it('gives the same counts for the pcapng copy and adds up packets', async () => {
    const a = await replayCapture(join(VECTORS, 'vf_call6_sdcch8_ts1_ss1.scrubbed.pcap'), { subRef });
    const b = await replayCapture(join(VECTORS, 'vf_call6_sdcch8_ts1_ss1.scrubbed.pcapng'), { subRef });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b.value.format).toBe('pcapng');
    expect({ ...b.value, format: 'pcap' }).toEqual(a.value);
    const skips = Object.values(a.value.link_skips).reduce((x, y) => x + y, 0);
    expect(a.value.gsmtap_frames + skips).toBe(a.value.packets);
    expect(a.value.outcomes).toMatchObject({ ok: 5, fill_frame: 1, unsupported_protocol: 0, unsupported_message: 0 });
    expect(a.value.events_by_type).toEqual({ system_information_5: 1, paging_response: 1, ciphering_mode_command: 1, system_information_6: 1, cc_setup: 1 });
  });

  it('fails with a typed reason for a file that is not a capture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-replay-'));
    const bad = join(dir, 'bad.pcap');
    writeFileSync(bad, 'GET / HTTP/1.1');
    const r = await replayCapture(bad, { subRef });
    expect(r.ok ? 'ok' : r.reason).toBe('bad_magic');
    const missing = await replayCapture(join(dir, 'missing.pcap'), { subRef });
    expect(missing.ok ? 'ok' : missing.reason).toBe('io_error');
  });
});
