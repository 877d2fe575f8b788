/**
 * Fixed-seed structure-aware fuzz of the System Information decoders: 20,000 mutated bodies per decoder,
 * seeded from the real capture's SI frames and the hand-built vectors, mutated by bit flips, byte
 * overwrites, truncation/extension, random frequency-list format octets and lying L2 pseudo lengths.
 * Every outcome must be a CellInfo event with JSON-serialisable, well-formed fields or a typed rejection;
 * nothing may throw. Outcomes are counted per reason.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CellStateTracker } from '../../src/gsm/cell-state.js';
import type { CellInfoEvent } from '../../src/gsm/events.js';
import { systemInformation1 } from '../../src/gsm/messages/system-information-1.js';
import { systemInformation13 } from '../../src/gsm/messages/system-information-13.js';
import { systemInformation2 } from '../../src/gsm/messages/system-information-2.js';
import { systemInformation2bis } from '../../src/gsm/messages/system-information-2bis.js';
import { systemInformation2quater } from '../../src/gsm/messages/system-information-2quater.js';
import { systemInformation2ter } from '../../src/gsm/messages/system-information-2ter.js';
import { systemInformation3 } from '../../src/gsm/messages/system-information-3.js';
import { systemInformation4 } from '../../src/gsm/messages/system-information-4.js';
import type { DecodeContext, L3MessageDecoder } from '../../src/gsm/messages/types.js';
import { readGsmtapPcap } from '../vectors/si/gsmtap-pcap.js';
import { handBuiltSiVectors } from '../vectors/si/si-vectors.js';
import { DecoderOutcomes } from './decoder-outcomes.js';
import { seededRandom as prng } from '@simhound/test-support/random';

const CAPTURE = join(dirname(fileURLToPath(import.meta.url)), '../vectors/si/vf_call6_bcch_ccch_ts0.scrubbed.pcap');
const DECODERS: readonly L3MessageDecoder[] = [
  systemInformation1, systemInformation2, systemInformation2bis, systemInformation2ter,
  systemInformation2quater, systemInformation3, systemInformation4, systemInformation13,
];
const MUTATIONS_PER_DECODER = 20_000;

/** Seeds per message type: the 23-octet L2 blocks (pseudo length, PD, type, body). */
function seedBlocks(): Map<number, Uint8Array[]> {
  const seeds = new Map<number, Uint8Array[]>();
  const add = (type: number, block: Uint8Array) => seeds.set(type, [...(seeds.get(type) ?? []), block]);
  for (const record of readGsmtapPcap(readFileSync(CAPTURE))) {
    const l2 = record.gsmtap.subarray(record.gsmtap[1]! * 4);
    if ((l2[1]! & 0x0f) === 0x06 && DECODERS.some((d) => d.messageType === l2[2])) add(l2[2]!, Uint8Array.from(l2));
  }
  for (const vector of handBuiltSiVectors()) add(vector.messageType, vector.block);
  return seeds;
}

/** Checks the invariants of a decoded event; returns a description of the first violation or null. */
function violation(decoder: L3MessageDecoder, event: CellInfoEvent): string | null {
  if (event.type !== 'CellInfo' || event.message !== decoder.name) return `wrong event ${event.type}/${event.message}`;
  try {
    JSON.stringify(event);
  } catch (error) {
    return `event not serialisable: ${(error as Error).message}`;
  }
  for (const [key, value] of Object.entries(event.info)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return `${key} = ${value}`;
    if ((key === 'cell_arfcns' || key === 'neighbour_arfcns') && Array.isArray(value)) {
      const ok = value.every((v, i) => Number.isInteger(v) && v >= 0 && v <= 1023 && (i === 0 || v > (value[i - 1] as number)));
      if (!ok) return `${key} not sorted unique 0..1023: ${JSON.stringify(value)}`;
    }
  }
  return null;
}

describe('System Information decoders, fixed-seed fuzz', () => {
  const seeds = seedBlocks();

  it('has seeds for every decoder', () => {
    for (const decoder of DECODERS) expect(seeds.get(decoder.messageType)?.length ?? 0, decoder.name).toBeGreaterThan(0);
  });

  for (const decoder of DECODERS) {
    it(`${decoder.name}: ${MUTATIONS_PER_DECODER} mutated bodies, no throw, typed outcomes`, () => {
      const random = prng(0x51 + decoder.messageType);
      const pick = (n: number) => Math.floor(random() * n);
      const blocks = seeds.get(decoder.messageType)!;
      const tally = new DecoderOutcomes();
      const cells = new CellStateTracker();
      for (let n = 0; n < MUTATIONS_PER_DECODER; n++) {
        const seed = blocks[pick(blocks.length)]!;
        // Room past the 23 octets so extension mutations stay inside the buffer.
        const buf = new Uint8Array(32).fill(0x2b);
        buf.set(seed);
        let end = 23;
        let pseudoEnd = 1 + (buf[0]! >> 2);
        const kind = pick(7);
        if (kind === 0) {
          for (let flips = 1 + pick(8); flips > 0; flips--) buf[3 + pick(20)]! ^= 1 << pick(8);
        } else if (kind === 1) {
          for (let bytes = 1 + pick(4); bytes > 0; bytes--) buf[3 + pick(20)] = pick(256);
        } else if (kind === 2) {
          end = 3 + pick(21);
        } else if (kind === 3) {
          end = 23 + pick(9);
          for (let i = 23; i < end; i++) buf[i] = pick(256);
        } else if (kind === 4) {
          for (let i = 3; i < 23; i++) buf[i] = pick(256);
        } else if (kind === 5) {
          // Frequency-list format octet (SI1/2/2bis/2ter) or first rest octet: any value.
          buf[3] = pick(256);
          buf[3 + pick(20)] = pick(256);
        } else {
          pseudoEnd = pick(end + 6);
        }
        const ctx: DecodeContext = {
          base: { ts_ms: n, fn: n, arfcn: n % 4, uplink: false, timeslot: 0, sub_slot: 0, channel: 'bcch', acch: false, rssi_dbm: null, snr_db: null, cell: null },
          subRef: () => 'unused',
          cell: cells.get('fuzz', n % 4),
          l2PseudoEnd: pseudoEnd,
        };
        tally.run(decoder, buf, 3, end, ctx, (value) => violation(decoder, value as CellInfoEvent));
      }
      expect(tally.problems).toEqual([]);
      expect(tally.counts['throw'] ?? 0).toBe(0);
      expect(tally.total).toBe(MUTATIONS_PER_DECODER);
      // Both decoded and rejected outcomes occur (the fuzz reaches past the length checks).
      expect(tally.counts['ok'] ?? 0).toBeGreaterThan(0);
      expect(tally.counts['too_short'] ?? 0).toBeGreaterThan(0);
    });
  }
});
