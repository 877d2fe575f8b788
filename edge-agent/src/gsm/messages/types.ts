/**
 * The contract every GSM L3 message decoder implements. One message type per file in this folder,
 * listed once in `index.ts`. A decoder never throws on bad bytes: it returns a typed rejection.
 */
import type { Result } from '@simhound/protocol';
import type { SubRefHasher } from '../../privacy/sub-ref.js';
import type { CellState } from '../cell-state.js';
import type { EventBase, GsmEvent } from '../events.js';

/** Why a message's bytes could not be decoded (counted per reason by the frame decoder). */
export type MessageRejection = 'too_short' | 'bad_length' | 'bad_ie' | 'bad_value';

export interface DecodeContext {
  /** GSMTAP- and cell-derived fields for this frame; decoders spread it into the event they build. */
  readonly base: EventBase;
  /** Pseudonymiser: the only way an identity may appear in an event. */
  readonly subRef: SubRefHasher;
  /** Cell state of this frame's ARFCN: decoders read NECI etc.; System Information decoders update it. */
  readonly cell: CellState;
  /**
   * Where the octets counted by the L2 pseudo length end (TS 44.018 §10.5.2.19), i.e. where the rest
   * octets begin, on BCCH/CCCH/SACCH blocks; optional IEs lie before it. Equals `end` where the L2
   * length is exact (LAPDm I/UI/U frames on SDCCH/FACCH).
   */
  readonly l2PseudoEnd: number;
}

/** Protocol discriminator families decoded here (TS 24.007 §11.2.3.1.1). */
export type L3Protocol = 'rr' | 'mm' | 'cc';

export interface L3MessageDecoder {
  readonly protocol: L3Protocol;
  /** Message type octet (TS 44.018 §10.4 for RR, TS 24.008 §10.4 for MM and CC; MM/CC N(SD) bits masked off). */
  readonly messageType: number;
  /** snake_case name used as the event's `message`. */
  readonly name: string;
  /** Where the message is defined, e.g. "TS 44.018 §9.1.22". */
  readonly clause: string;
  /** Its events assign a dedicated channel (Immediate Assignment): the session tracker must see them. */
  readonly opensDedicatedSession?: boolean;
  /**
   * Decode the message body: `buf[start]` is the first octet after the message type, `end` is exclusive
   * (L2 padding already excluded where the L2 length says so). Returns the events produced (none for
   * messages that only update cell state), or a rejection.
   */
  decode(buf: Uint8Array, start: number, end: number, ctx: DecodeContext): Result<GsmEvent | readonly GsmEvent[] | null, MessageRejection>;
}
