/**
 * Fixed-seed structure-aware fuzz of the Notification/NCH, SACCH system information and dedicated-channel
 * decoders: 10,000 mutated bodies per decoder, seeded from the real captures and the hand-built vectors
 * (bit flips, byte overwrites, truncation, extension, random bodies, lying L2 pseudo lengths). Every
 * outcome must be an event of that decoder's message with JSON-serialisable, finite fields and only
 * pseudonymised identities, or a typed rejection; nothing may throw. Outcomes are counted per reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gsmtapV2 } from '@simhound/test-support/pcap-fixtures';
import { seededRandom as prng } from '@simhound/test-support/random';
import { CellStateTracker } from '../../src/gsm/cell-state.js';
import type { GsmEvent } from '../../src/gsm/events.js';
import { createGsmtapHeader, parseGsmtapHeader } from '../../src/gsm/gsmtap.js';
import { createL2Result, frameL3 } from '../../src/gsm/l2.js';
import { MESSAGE_DECODERS } from '../../src/gsm/messages/index.js';
import type { DecodeContext, L3MessageDecoder } from '../../src/gsm/messages/types.js';
import { createSubRefHasher } from '../../src/privacy/sub-ref.js';
import { dedicatedVectors } from '../vectors/dedicated/dedicated-vectors.js';
import { readGsmtapPcap } from '../vectors/si/gsmtap-pcap.js';
import { DecoderOutcomes } from './decoder-outcomes.js';

const NAMES = [
  'notification_nch', 'system_information_5', 'system_information_5bis', 'system_information_5ter', 'system_information_6',
  'authentication_request', 'authentication_response', 'ciphering_mode_command', 'ciphering_mode_complete',
  'tmsi_reallocation_command', 'tmsi_reallocation_complete', 'identity_request', 'imsi_detach_indication',
  'location_updating_accept', 'location_updating_reject', 'cm_service_accept', 'cm_service_reject',
  'classmark_change', 'cc_setup', 'channel_release',
];
const DECODERS = NAMES.map((n) => MESSAGE_DECODERS.find((d) => d.name === n)!);
const MUTATIONS_PER_DECODER = 10_000;
const SUB_REF = /^[0-9a-f]{16}$/;

interface Seed {
  /** PD, type and body: the L3 message alone. */
  readonly l3: Uint8Array;
  /** Where the L2 pseudo length ends, relative to the PD octet. */
  readonly pseudo: number;
}

/** L3 message of a GSMTAP datagram, as the frame decoder would hand it to a message decoder. */
function l3Of(datagram: Uint8Array): { protocol: number; type: number; seed: Seed } | null {
  const h = createGsmtapHeader();
  if (parseGsmtapHeader(datagram, 0, datagram.length, h) !== null || h.payload_kind !== 'um') return null;
  const l2 = createL2Result();
  if (frameL3(h.channel, h.acch, h.uplink, datagram, h.header_bytes, datagram.length, l2) !== null) return null;
  if (l2.l3End - l2.l3Start < 2) return null;
  const pd = datagram[l2.l3Start]! & 0x0f;
  const type = pd === 0x06 ? datagram[l2.l3Start + 1]! : datagram[l2.l3Start + 1]! & 0x3f;
  return { protocol: pd, type, seed: { l3: datagram.slice(l2.l3Start, l2.l3End), pseudo: l2.pseudoEnd - l2.l3Start } };
}

function seeds(): Map<L3MessageDecoder, Seed[]> {
  const datagrams: Uint8Array[] = dedicatedVectors().map((v) => gsmtapV2(v.header, v.block));
  for (const name of ['vf_call6_sdcch8_ts1_ss1.scrubbed.pcap', 'vf_call6_bcch_ccch_ts0.dedup.scrubbed.pcap']) {
    for (const r of readGsmtapPcap(readFileSync(join(import.meta.dirname, '..', 'vectors', name)))) datagrams.push(r.gsmtap);
  }
  const out = new Map<L3MessageDecoder, Seed[]>();
  for (const d of datagrams) {
    const l3 = l3Of(d);
    if (l3 === null) continue;
    const protocol = l3.protocol === 0x06 ? 'rr' : l3.protocol === 0x05 ? 'mm' : l3.protocol === 0x03 ? 'cc' : null;
    const decoder = DECODERS.find((x) => x.protocol === protocol && x.messageType === l3.type);
    if (decoder !== undefined) out.set(decoder, [...(out.get(decoder) ?? []), l3.seed]);
  }
  return out;
}

/** The first broken invariant of an event, or null. */
function violation(decoder: L3MessageDecoder, event: GsmEvent, fn: number): string | null {
  if (event.message !== decoder.name) return `wrong message ${event.message}`;
  if (event.fn !== fn) return `fn ${event.fn} ≠ ${fn}`;
  let json: string;
  try {
    json = JSON.stringify(event);
  } catch (error) {
    return `not serialisable: ${(error as Error).message}`;
  }
  let problem: string | null = null;
  JSON.parse(json, (key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) problem ??= `${key} = ${value}`;
    if (key === 'sub_ref' && (typeof value !== 'string' || !SUB_REF.test(value))) problem ??= `sub_ref ${String(value)}`;
    return value;
  });
  // A raw identity would be a long digit string or a TMSI in hex: only sub_refs may name subscribers.
  if (/"(imsi|tmsi|imei|imeisv|value|digits)"\s*:/.test(json)) problem ??= 'raw identity field';
  return problem;
}

describe('dedicated-channel decoders, fixed-seed fuzz', () => {
  const bySeed = seeds();

  it('has seeds for every decoder', () => {
    for (const decoder of DECODERS) expect(bySeed.get(decoder)?.length ?? 0, decoder.name).toBeGreaterThan(0);
  });

  for (const decoder of DECODERS) {
    it(`${decoder.name}: ${MUTATIONS_PER_DECODER} mutated bodies, no throw, typed outcomes`, () => {
      const random = prng(0xdec0 + decoder.messageType + (decoder.protocol === 'mm' ? 0x100 : decoder.protocol === 'cc' ? 0x200 : 0));
      const pick = (n: number) => Math.floor(random() * n);
      const seedList = bySeed.get(decoder)!;
      const subRef = createSubRefHasher(Buffer.alloc(32, 0x33));
      const cells = new CellStateTracker();
      const tally = new DecoderOutcomes();
      for (let n = 0; n < MUTATIONS_PER_DECODER; n++) {
        const seed = seedList[pick(seedList.length)]!;
        const buf = new Uint8Array(40).fill(0x2b);
        buf.set(seed.l3);
        let end = seed.l3.length;
        let pseudoEnd = Math.min(seed.pseudo, end);
        const kind = pick(6);
        if (kind === 0) {
          for (let flips = 1 + pick(8); flips > 0; flips--) buf[2 + pick(Math.max(1, end - 2))]! ^= 1 << pick(8);
        } else if (kind === 1) {
          for (let bytes = 1 + pick(4); bytes > 0; bytes--) buf[2 + pick(Math.max(1, end - 2))] = pick(256);
        } else if (kind === 2) {
          end = 2 + pick(end - 1);
        } else if (kind === 3) {
          const more = 1 + pick(12);
          for (let i = end; i < end + more; i++) buf[i] = pick(256);
          end += more;
        } else if (kind === 4) {
          end = 2 + pick(22);
          for (let i = 2; i < end; i++) buf[i] = pick(256);
        } else {
          pseudoEnd = pick(end + 6);
        }
        const ctx: DecodeContext = {
          base: { ts_ms: n, fn: n, arfcn: 3, uplink: (n & 1) === 1, timeslot: 1, sub_slot: 2, channel: 'sdcch8', acch: false, rssi_dbm: -70, snr_db: null, cell: null },
          subRef,
          cell: cells.get('fuzz', 3),
          l2PseudoEnd: pseudoEnd,
        };
        tally.run(decoder, buf, 2, end, ctx, (value) => {
          const events = value === null ? [] : Array.isArray(value) ? (value as GsmEvent[]) : [value as GsmEvent];
          if (events.length !== 1) return `${events.length} events`;
          return violation(decoder, events[0]!, n);
        });
      }
      expect(tally.problems).toEqual([]);
      expect(tally.counts['throw'] ?? 0).toBe(0);
      expect(tally.total).toBe(MUTATIONS_PER_DECODER);
      expect(tally.counts['ok'] ?? 0).toBeGreaterThan(0);
    });
  }
});
