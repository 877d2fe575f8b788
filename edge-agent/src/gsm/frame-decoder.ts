/**
 * The GSM frame decoder: one GSMTAP datagram in, zero or more typed events out, and exactly one counted
 * outcome per frame. GSMTAP header → L2 (pseudo length / LAPDm) → L3 protocol discriminator → registry
 * lookup → message decoder. It never throws on bad bytes (a throwing message decoder is caught and
 * counted as `decoder_exception`).
 *
 * Hot path: the caller passes a buffer slice (buf, offset, length), the header and L2 results are reused
 * objects, the registry is a pair of arrays indexed by message type; the only allocations per frame are
 * the event(s) a message decoder builds.
 *
 * When given a dedicated-channel session tracker (dedicated-session.ts; replay and the agent give one),
 * decoded events also pass through it and its `DedicatedSession` events go to the same sink when
 * sessions end; `expireSessions` / `flushSessions` close them when the air goes quiet or the input ends.
 *
 * It must not: keep raw identities (decoders hash them through `subRef`), or do I/O.
 */
import type { SubRefHasher } from '../privacy/sub-ref.js';
import { CellStateTracker, type CellState } from './cell-state.js';
import { channelFamily, type DedicatedSessionStats, type DedicatedSessionTracker } from './dedicated-session.js';
import { gsmtapChannelName } from './channel-names.js';
import type { EventBase, GsmEvent } from './events.js';
import { emptyOutcomeCounts, type FrameOutcome, type FrameOutcomeCounts } from './frame-outcome.js';
import { createGsmtapHeader, parseGsmtapHeader, type GsmtapHeader } from './gsmtap.js';
import { createL2Result, frameL3, type L2Result } from './l2.js';
import { knownMessageName } from './message-names.js';
import { MESSAGE_DECODERS } from './messages/index.js';
import type { DecodeContext, L3MessageDecoder } from './messages/types.js';

/** TS 24.007 §11.2.3.1.1 protocol discriminators decoded here. */
const PD_CC = 0x03;
const PD_MM = 0x05;
const PD_RR = 0x06;

export type EventSink = (event: GsmEvent) => void;



export interface GsmFrameDecoderOptions {
  /** Pseudonymiser for identities (see privacy/sub-ref). */
  subRef: SubRefHasher;
  /** Shared cell state; a fresh tracker when omitted. */
  cells?: CellStateTracker;
  /** The message registry; `MESSAGE_DECODERS` when omitted. */
  decoders?: readonly L3MessageDecoder[];
  /** Dedicated-channel session tracker fed with every decoded event; none when omitted. */
  sessions?: DedicatedSessionTracker | null;
}

export class GsmFrameDecoder {
  readonly cells: CellStateTracker;
  /** The GSMTAP header of the last frame passed to `decode` (valid when its outcome is not a header error). */
  readonly header: GsmtapHeader = createGsmtapHeader();
  private readonly subRef: SubRefHasher;
  private readonly rr: (L3MessageDecoder | undefined)[] = new Array(256).fill(undefined);
  private readonly mm: (L3MessageDecoder | undefined)[] = new Array(64).fill(undefined);
  private readonly cc: (L3MessageDecoder | undefined)[] = new Array(64).fill(undefined);
  private readonly rrSeen = new Float64Array(256);
  private readonly mmSeen = new Float64Array(64);
  private readonly ccSeen = new Float64Array(64);
  /** RR message types whose events open dedicated-channel sessions (Immediate Assignment, …Extended). */
  private readonly rrOpensSession = new Uint8Array(256);
  private readonly outcomes: FrameOutcomeCounts = emptyOutcomeCounts();
  private readonly l2: L2Result = createL2Result();
  /** LAPDm channels whose last I frame had the M bit set: the next I frame there is a continuation. */
  private readonly openSegments = new Set<number>();
  private lastSource = '';
  private lastArfcn = -1;
  private lastCell: CellState | null = null;
  private framesTotal = 0;
  private eventsTotal = 0;
  private readonly sessions: DedicatedSessionTracker | null;
  /** The sink of the frame being decoded, for sessions that end on it (no closure per frame). */
  private sink: EventSink = () => {};
  private readonly emitSession = (e: GsmEvent): void => {
    this.eventsTotal++;
    this.sink(e);
  };

  constructor(options: GsmFrameDecoderOptions) {
    this.subRef = options.subRef;
    this.cells = options.cells ?? new CellStateTracker();
    this.sessions = options.sessions ?? null;
    for (const d of options.decoders ?? MESSAGE_DECODERS) {
      const table = d.protocol === 'rr' ? this.rr : d.protocol === 'mm' ? this.mm : this.cc;
      const index = d.protocol === 'rr' ? d.messageType & 0xff : d.messageType & 0x3f;
      if (table[index] !== undefined) throw new Error(`two decoders for ${d.protocol} message type 0x${index.toString(16)}`);
      table[index] = d;
      if (d.protocol === 'rr' && d.opensDedicatedSession === true) this.rrOpensSession[index] = 1;
    }
  }

  /**
   * Decode one GSMTAP datagram at `buf[offset .. offset+length)`. `ts_ms` is the capture/receive time,
   * `source` names where it came from (cell state is kept per source and ARFCN). Events go to `emit`.
   */
  decode(buf: Uint8Array, offset: number, length: number, ts_ms: number, source: string, emit: EventSink): FrameOutcome {
    this.framesTotal++;
    let outcome: FrameOutcome;
    try {
      outcome = this.decodeFrame(buf, offset, length, ts_ms, source, emit);
    } catch {
      outcome = 'decoder_exception';
    }
    this.outcomes[outcome]++;
    return outcome;
  }

  private decodeFrame(buf: Uint8Array, offset: number, length: number, ts_ms: number, source: string, emit: EventSink): FrameOutcome {
    const h = this.header;
    const headerError = parseGsmtapHeader(buf, offset, length, h);
    if (headerError !== null) return headerError;
    if (h.payload_kind === 'um_burst') return 'burst_payload';
    if (h.payload_kind !== 'um') return 'unsupported_payload_type';
    const end = offset + length;
    const l2 = this.l2;
    const l2Outcome = frameL3(h.channel, h.acch, h.uplink, buf, offset + h.header_bytes, end, l2);
    if (l2Outcome !== null) return l2Outcome;

    if (l2.iFrame) {
      // Without reassembly, a continuation segment must not be read as the start of a message.
      const key = this.segmentKey(h);
      const continuing = this.openSegments.has(key);
      if (l2.more) this.openSegments.add(key);
      else if (continuing) this.openSegments.delete(key);
      if (l2.more || continuing) return 'lapdm_segment';
    }

    const l3 = l2.l3Start;
    if (l2.l3End - l3 < 2) return 'too_short';
    const first = buf[l3]!;
    const pd = first & 0x0f;
    let decoder: L3MessageDecoder | undefined;
    let opensSession = false;
    if (pd === PD_RR) {
      if (first >> 4 !== 0) return 'nonzero_skip_indicator';
      const type = buf[l3 + 1]!;
      this.rrSeen[type]!++;
      decoder = this.rr[type];
      opensSession = this.rrOpensSession[type] === 1;
    } else if (pd === PD_MM) {
      const type = buf[l3 + 1]! & 0x3f;
      this.mmSeen[type]!++;
      decoder = this.mm[type];
    } else if (pd === PD_CC) {
      // The upper half octet is the transaction identifier; bits 8–7 of the type are N(SD).
      const type = buf[l3 + 1]! & 0x3f;
      this.ccSeen[type]!++;
      decoder = this.cc[type];
    } else {
      return 'unsupported_protocol';
    }
    if (decoder === undefined) return 'unsupported_message';

    const cell = this.cellFor(source, h.arfcn);
    const base: EventBase = {
      ts_ms,
      fn: h.frame_number,
      arfcn: h.arfcn,
      uplink: h.uplink,
      timeslot: h.timeslot,
      sub_slot: h.sub_slot,
      channel: gsmtapChannelName(h.channel),
      acch: h.acch,
      rssi_dbm: h.signal_dbm,
      snr_db: h.snr_db,
      cell: cell.cell,
    };
    const ctx: DecodeContext = { base, subRef: this.subRef, cell, l2PseudoEnd: l2.pseudoEnd };
    const result = decoder.decode(buf, l3 + 2, l2.l3End, ctx);
    if (!result.ok) return result.reason;
    const value = result.value;
    if (value === null) return 'ok';
    // Only assignments and frames on dedicated channels concern the session tracker; every other frame
    // just moves its clock (idle sessions time out on it).
    const sessions = this.sessions;
    const family = channelFamily(h.channel);
    const tracked = sessions !== null && (opensSession || family >= 0);
    if (Array.isArray(value)) {
      for (const e of value as readonly GsmEvent[]) this.deliver(e, source, emit, tracked, opensSession, family);
    } else {
      this.deliver(value as GsmEvent, source, emit, tracked, opensSession, family);
    }
    if (sessions !== null && !tracked) {
      this.sink = emit;
      sessions.tick(ts_ms, h.frame_number, this.emitSession);
    }
    return 'ok';
  }

  private deliver(e: GsmEvent, source: string, emit: EventSink, tracked: boolean, assignment: boolean, family: number): void {
    this.eventsTotal++;
    emit(e);
    if (tracked) {
      const h = this.header;
      this.sink = emit;
      this.sessions!.trackFrame(e, source, assignment, family, h.arfcn, h.timeslot, h.sub_slot, this.emitSession);
    }
  }

  /** Close dedicated-channel sessions idle past their timeout at `now_ms` (live sources, on a timer). */
  expireSessions(now_ms: number, emit: EventSink): void {
    if (this.sessions === null) return;
    this.sink = emit;
    this.sessions.expire(now_ms, this.emitSession);
  }

  /** Close every open session: the input ended. */
  flushSessions(emit: EventSink): void {
    if (this.sessions === null) return;
    this.sink = emit;
    this.sessions.flush(this.emitSession);
  }

  /** The session tracker's open sessions and counts by outcome and end; null without a tracker. */
  sessionStats(): DedicatedSessionStats | null {
    return this.sessions === null ? null : this.sessions.stats();
  }

  private segmentKey(h: GsmtapHeader): number {
    return ((h.arfcn * 8 + h.timeslot) * 16 + (h.sub_slot & 0x0f)) * 4 + (h.acch ? 2 : 0) + (h.uplink ? 1 : 0);
  }

  private cellFor(source: string, arfcn: number): CellState {
    if (this.lastCell !== null && source === this.lastSource && arfcn === this.lastArfcn) return this.lastCell;
    const cell = this.cells.get(source, arfcn);
    this.lastSource = source;
    this.lastArfcn = arfcn;
    this.lastCell = cell;
    return cell;
  }

  /** Frames seen, events emitted and counts by outcome (they add up to `frames`). */
  stats(): { frames: number; events: number; outcomes: FrameOutcomeCounts } {
    return { frames: this.framesTotal, events: this.eventsTotal, outcomes: { ...this.outcomes } };
  }

  /**
   * Frames that reached the L3 message type, by message name (the registry's name, a known name for
   * types without a decoder, or `rr_0xNN` / `mm_0xNN` / `cc_0xNN`).
   */
  messageCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    const add = (protocol: 'rr' | 'mm' | 'cc', type: number, n: number, d: L3MessageDecoder | undefined) => {
      if (n === 0) return;
      out[d?.name ?? knownMessageName(protocol, type)] = n;
    };
    for (let t = 0; t < 256; t++) add('rr', t, this.rrSeen[t]!, this.rr[t]);
    for (let t = 0; t < 64; t++) add('mm', t, this.mmSeen[t]!, this.mm[t]);
    for (let t = 0; t < 64; t++) add('cc', t, this.ccSeen[t]!, this.cc[t]);
    return out;
  }
}
