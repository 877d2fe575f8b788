/**
 * Structure-aware GSMTAP frame mutator for fuzzing the frame decoder: starts from valid frames (real
 * capture frames and the hand-made vectors) and applies truncations, length-field lies, bit flips,
 * random GSMTAP headers, random L3 protocol/message types, insertions and pure noise. Deterministic for
 * a seed. Used by the fixed-seed fuzz test and by scripts/fuzz-gsm.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRAFTED_FRAMES, gsmtapV2, gsmtapV3 } from '@simhound/test-support/pcap-fixtures';
import { GsmFrameDecoder } from '../../src/gsm/frame-decoder.js';
import { DedicatedSessionTracker, type DedicatedSessionStats } from '../../src/gsm/dedicated-session.js';
import type { GsmEvent } from '../../src/gsm/events.js';
import { FRAME_OUTCOMES, type FrameOutcome } from '../../src/gsm/frame-outcome.js';
import { createSubRefHasher } from '../../src/privacy/sub-ref.js';
import { seededRandom as prng } from '@simhound/test-support/random';
import { dedicatedVectors } from '../vectors/dedicated/dedicated-vectors.js';
import { readGsmtapPcap } from '../vectors/si/gsmtap-pcap.js';
export { prng };

const VECTORS = join(import.meta.dirname, '..', 'vectors');

/** GSMTAP payloads of every packet in a classic little-endian Ethernet pcap (the vectors are such). */
function gsmtapFramesOf(pcap: Buffer): Buffer[] {
  return readGsmtapPcap(pcap).map((r) => Buffer.from(r.gsmtap));
}

export function seedCorpus(): Buffer[] {
  const corpus: Buffer[] = [];
  for (const name of ['vf_call6_bcch_ccch_ts0.dedup.scrubbed.pcap', 'vf_call6_sdcch8_ts1_ss1.scrubbed.pcap', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.bcch.pcap']) {
    corpus.push(...gsmtapFramesOf(readFileSync(join(VECTORS, name))));
  }
  for (const f of CRAFTED_FRAMES) {
    corpus.push(gsmtapV2(f.header, f.block));
    corpus.push(gsmtapV3({ channel: f.header.channel, arfcn: f.header.arfcn ?? 0, frame_number: f.header.frame_number ?? 0, signal_dbm: -70 }, f.block));
  }
  // Messages with a decoder get more weight: they are where the parsing is.
  for (const f of CRAFTED_FRAMES) corpus.push(gsmtapV2(f.header, f.block));
  // NCH, SACCH system information and the dedicated-channel signalling.
  for (const v of dedicatedVectors()) corpus.push(gsmtapV2(v.header, v.block));
  return corpus;
}

export const MUTATIONS = ['truncate', 'length_lie', 'bit_flips', 'random_header', 'random_l3_type', 'insert_delete', 'noise', 'unchanged'] as const;
export type Mutation = (typeof MUTATIONS)[number];

export class FrameMutator {
  private readonly rand: () => number;
  readonly counts: Record<Mutation, number> = Object.fromEntries(MUTATIONS.map((m) => [m, 0])) as Record<Mutation, number>;

  constructor(
    seed: number,
    private readonly corpus: readonly Buffer[],
  ) {
    this.rand = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  /** Where the L2/L3 bytes start in a v2/v3 frame (best effort; mutations stay meaningful). */
  private payloadStart(f: Buffer): number {
    if (f[0] === 3 && f.length >= 4) return Math.min(f.length, f.readUInt16BE(2) * 4);
    return Math.min(f.length, 16);
  }

  next(): Buffer {
    const base = this.corpus[this.int(this.corpus.length)]!;
    const f = Buffer.from(base);
    const m = MUTATIONS[this.int(MUTATIONS.length)]!;
    this.counts[m]++;
    const ps = this.payloadStart(f);
    switch (m) {
      case 'truncate':
        return f.subarray(0, this.int(f.length + 1));
      case 'length_lie': {
        // Overwrite a length-ish field: GSMTAP hdr_len, the L2 length/pseudo length, or an IE length.
        const which = this.int(4);
        if (which === 0) f[1] = this.int(256);
        else if (which === 1 && ps < f.length) f[ps] = this.int(256);
        else if (which === 2 && ps + 2 < f.length) f[ps + 2] = this.int(256);
        else if (f.length > ps + 3) f[ps + 3 + this.int(Math.min(6, f.length - ps - 3))] = this.int(256);
        return f;
      }
      case 'bit_flips': {
        const n = 1 + this.int(8);
        for (let i = 0; i < n && f.length > 0; i++) f[this.int(f.length)]! ^= 1 << this.int(8);
        return f;
      }
      case 'random_header': {
        const v3 = this.rand() < 0.3;
        if (v3) {
          const h = Buffer.alloc(8 + 4 * this.int(8));
          for (let i = 0; i < h.length; i++) h[i] = this.int(256);
          h[0] = 3;
          if (this.rand() < 0.7) h.writeUInt16BE(h.length / 4, 2);
          if (this.rand() < 0.7) h.writeUInt16BE(0x0200, 4);
          return Buffer.concat([h, f.subarray(ps)]);
        }
        const h = Buffer.alloc(16);
        for (let i = 0; i < 16; i++) h[i] = this.int(256);
        h[0] = this.rand() < 0.9 ? 2 : this.int(256);
        if (this.rand() < 0.7) h[1] = 4;
        if (this.rand() < 0.7) h[2] = 1;
        if (this.rand() < 0.5) h[12] = this.int(18) | (this.rand() < 0.2 ? 0x80 : 0);
        return Buffer.concat([h, f.subarray(ps)]);
      }
      case 'random_l3_type': {
        // Find the protocol discriminator octet after the L2 header and randomise PD and type.
        const l3 = f[12] === 2 || f[12] === 1 || f[12] === 4 || f[12] === 5 ? ps + 1 : ps + 3 + ((f[12]! & 0x80) !== 0 ? 2 : 0);
        if (l3 + 1 < f.length) {
          const r = this.rand();
          f[l3] = r < 0.35 ? 0x06 : r < 0.7 ? 0x05 : r < 0.85 ? 0x03 | (this.int(16) << 4) : this.int(256);
          f[l3 + 1] = this.int(256);
        }
        return f;
      }
      case 'insert_delete': {
        const at = this.int(f.length + 1);
        if (this.rand() < 0.5) return Buffer.concat([f.subarray(0, at), Buffer.from([this.int(256)]), f.subarray(at)]);
        return Buffer.concat([f.subarray(0, at), f.subarray(Math.min(f.length, at + 1 + this.int(4)))]);
      }
      case 'noise': {
        const n = Buffer.alloc(this.int(64));
        for (let i = 0; i < n.length; i++) n[i] = this.int(256);
        if (n.length > 0 && this.rand() < 0.5) n[0] = 2;
        return n;
      }
      case 'unchanged':
        return f;
    }
  }
}

export interface FuzzReport {
  frames: number;
  seed: number;
  /** Exceptions that escaped decode() (must be 0). */
  escaped_throws: number;
  outcomes: Record<FrameOutcome, number>;
  mutations: Record<Mutation, number>;
  events: number;
  /** Events per `message` name. */
  events_by_message: Record<string, number>;
  /** The decoder's dedicated-session tracker after the run (sessions still open are flushed first). */
  sessions: DedicatedSessionStats;
  /** Decoded events the tracker must see: assignments and events on dedicated channels. */
  session_relevant_events: number;
  elapsed_ms: number;
}

export function runFuzz(frames: number, seed: number): FuzzReport {
  const corpus = seedCorpus();
  const mutator = new FrameMutator(seed, corpus);
  const decoder = new GsmFrameDecoder({ subRef: createSubRefHasher(Buffer.alloc(32, 0x5a)), sessions: new DedicatedSessionTracker() });
  let escaped = 0;
  let events = 0;
  const byMessage: Record<string, number> = {};
  let relevant = 0;
  const dedicatedChannels = new Set(['sdcch', 'sdcch4', 'sdcch8', 'tch_f', 'tch_h']);
  const emit = (e: GsmEvent) => {
    events++;
    byMessage[e.message] = (byMessage[e.message] ?? 0) + 1;
    if (e.type === 'Assignment' || (e.type !== 'DedicatedSession' && dedicatedChannels.has(e.channel))) relevant++;
  };
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    const frame = mutator.next();
    try {
      decoder.decode(frame, 0, frame.length, i, 'fuzz', emit);
    } catch {
      escaped++;
    }
  }
  const elapsed = performance.now() - t0;
  const open = decoder.sessionStats()!.open;
  decoder.flushSessions(emit);
  const sessions = { ...decoder.sessionStats()!, open };
  const outcomes = decoder.stats().outcomes;
  for (const o of FRAME_OUTCOMES) outcomes[o] ??= 0;
  return { frames, seed, escaped_throws: escaped, outcomes, mutations: { ...mutator.counts }, events, events_by_message: byMessage, sessions, session_relevant_events: relevant, elapsed_ms: Math.round(elapsed) };
}
