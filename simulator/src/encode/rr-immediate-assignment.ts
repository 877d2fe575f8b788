/**
 * The network's answers to a CHANNEL REQUEST on the AGCH, as complete 23-octet CCCH blocks:
 * IMMEDIATE ASSIGNMENT (TS 44.018 §9.1.18, dedicated channel or packet uplink TBF), IMMEDIATE
 * ASSIGNMENT EXTENDED (§9.1.19, two mobiles) and IMMEDIATE ASSIGNMENT REJECT (§9.1.20, up to four).
 *
 * Each echoes the request reference (RA + request frame number) and, for assignments, the timing
 * advance — the two fields simhound's detectors live on. It must not pick RA values or TAs itself.
 */
import { type EncodeResult, EncodeError, checkRange, encodeSafely } from './encode-result.js';
import {
  type ChannelDescription,
  type PacketChannelDescription,
  type PageMode,
  type RequestReference,
  channelDescriptionValue,
  mobileAllocationLv,
  packetChannelDescriptionValue,
  pageModeOctet,
  requestReferenceValue,
  startingTimeValue,
  timingAdvanceValue,
  waitIndicationValue,
} from './channel.js';
import { frameCcchBlock } from './l2-framing.js';
import { RR_MESSAGE_TYPE, RR_PROTOCOL_DISCRIMINATOR } from './message-types.js';
import { BitWriter, OctetWriter } from './writers.js';

/** IEI of the optional Starting Time (TV, 3 octets) in assignment messages. */
const STARTING_TIME_IEI = 0x7c;

/** A dedicated channel (SDCCH or TCH) for one mobile. */
export interface DedicatedAssignment {
  readonly kind: 'dedicated';
  readonly channel: ChannelDescription;
  /**
   * For a hopping channel: the cell-allocation indexes (1-based, ascending ARFCN order of SI1) it hops
   * over. Must be non-empty exactly when `channel.rf` is a MAIO/HSN pair.
   */
  readonly mobile_allocation?: readonly number[];
}

/** A packet uplink TBF on one PDCH with dynamic allocation (IA rest octets "HH 00 Packet Uplink Assignment"). */
export interface PacketUplinkAssignment {
  readonly kind: 'packet_uplink';
  readonly channel: PacketChannelDescription;
  /** Uplink temporary flow identity 0..31. */
  readonly tfi: number;
  /** Uplink state flag 0..7. */
  readonly usf: number;
  /** CS-1..CS-4 as 1..4. Default 1. */
  readonly coding_scheme?: 1 | 2 | 3 | 4;
  /** GAMMA power control parameter 0..31. Default 0. */
  readonly gamma?: number;
  readonly polling?: boolean;
}

export interface ImmediateAssignment {
  readonly page_mode?: PageMode;
  readonly request: RequestReference;
  readonly ta_steps: number;
  readonly assignment: DedicatedAssignment | PacketUplinkAssignment;
  /** Frame number from which the assignment applies (Starting Time IE); omitted when absent. */
  readonly starting_frame_number?: number;
}

function checkHoppingConsistency(channel: ChannelDescription, mobileAllocation: readonly number[] | undefined): void {
  const hopping = !('arfcn' in channel.rf);
  const hasMa = (mobileAllocation?.length ?? 0) > 0;
  if (hopping !== hasMa) {
    throw new EncodeError(
      'not_encodable',
      hopping ? 'a hopping channel needs a mobile allocation' : 'a mobile allocation is only sent with a hopping channel',
    );
  }
}

/** IA rest octets for a packet uplink assignment with dynamic allocation (§10.5.2.16). */
function packetUplinkRestOctets(a: PacketUplinkAssignment): BitWriter {
  const cs = checkRange('coding_scheme', a.coding_scheme ?? 1, 1, 4);
  return new BitWriter()
    .lh(true)
    .lh(true) // HH: packet assignment
    .bitsOf(0b00, 2) // 00: Packet Uplink Assignment
    .bit(1) // dynamic (or fixed) allocation, not single block
    .bitsOf(checkRange('tfi', a.tfi, 0, 31), 5, 'tfi')
    .bit(a.polling ?? false)
    .bit(0) // dynamic allocation ('1' was fixed allocation in earlier releases)
    .bitsOf(checkRange('usf', a.usf, 0, 7), 3, 'usf')
    .bit(0) // USF_GRANULARITY: one block
    .bit(0) // no P0 / PR_MODE
    .bitsOf(cs - 1, 2, 'coding_scheme')
    .bit(0) // TLLI_BLOCK_CHANNEL_CODING: CS-1
    .bit(0) // no ALPHA
    .bitsOf(checkRange('gamma', a.gamma ?? 0, 0, 31), 5, 'gamma')
    .bit(0) // no TIMING_ADVANCE_INDEX
    .bit(0) // no TBF_STARTING_TIME
    .lh(false); // no additions for R99 (EGPRS)
}

export function encodeImmediateAssignment(msg: ImmediateAssignment): EncodeResult {
  return encodeSafely(() => {
    const a = msg.assignment;
    const l3 = new OctetWriter().u8(RR_PROTOCOL_DISCRIMINATOR).u8(RR_MESSAGE_TYPE.immediate_assignment);
    let rest: BitWriter | undefined;
    if (a.kind === 'dedicated') {
      checkHoppingConsistency(a.channel, a.mobile_allocation);
      // Dedicated mode or TBF (§10.5.2.25b) in the upper half: 0000 = dedicated resource.
      l3.u8(pageModeOctet(msg.page_mode ?? 'normal'));
      l3.bytes(channelDescriptionValue(a.channel));
    } else {
      // T/D = 1 (TBF), downlink = 0 (uplink TBF), TMA = 0.
      l3.u8((0b0001 << 4) | pageModeOctet(msg.page_mode ?? 'normal'));
      l3.bytes(packetChannelDescriptionValue(a.channel));
      rest = packetUplinkRestOctets(a);
    }
    l3.bytes(requestReferenceValue(msg.request));
    l3.u8(timingAdvanceValue(msg.ta_steps));
    l3.bytes(mobileAllocationLv(a.kind === 'dedicated' ? (a.mobile_allocation ?? []) : []));
    if (msg.starting_frame_number !== undefined) l3.u8(STARTING_TIME_IEI).bytes(startingTimeValue(msg.starting_frame_number));
    return frameCcchBlock(l3.toBytes(), rest ?? new BitWriter());
  });
}

export interface ExtendedAssignment {
  readonly request: RequestReference;
  readonly ta_steps: number;
  readonly channel: ChannelDescription;
}

export interface ImmediateAssignmentExtended {
  readonly page_mode?: PageMode;
  readonly first: ExtendedAssignment;
  readonly second: ExtendedAssignment;
  /** Shared by both channels when they hop (cell-allocation indexes, 1-based). */
  readonly mobile_allocation?: readonly number[];
  readonly starting_frame_number?: number;
}

export function encodeImmediateAssignmentExtended(msg: ImmediateAssignmentExtended): EncodeResult {
  return encodeSafely(() => {
    const anyHopping = !('arfcn' in msg.first.channel.rf) || !('arfcn' in msg.second.channel.rf);
    if (anyHopping !== (msg.mobile_allocation?.length ?? 0) > 0) {
      throw new EncodeError('not_encodable', 'a mobile allocation is sent exactly when a channel hops');
    }
    const l3 = new OctetWriter()
      .u8(RR_PROTOCOL_DISCRIMINATOR)
      .u8(RR_MESSAGE_TYPE.immediate_assignment_extended)
      .u8(pageModeOctet(msg.page_mode ?? 'normal'));
    for (const part of [msg.first, msg.second]) {
      l3.bytes(channelDescriptionValue(part.channel));
      l3.bytes(requestReferenceValue(part.request));
      l3.u8(timingAdvanceValue(part.ta_steps));
    }
    l3.bytes(mobileAllocationLv(msg.mobile_allocation ?? []));
    if (msg.starting_frame_number !== undefined) l3.u8(STARTING_TIME_IEI).bytes(startingTimeValue(msg.starting_frame_number));
    // IAX rest octets (§10.5.2.18): Compressed_Inter_RAT_HO_INFO_IND = 0, no Rel-13 additions (L).
    return frameCcchBlock(l3.toBytes(), new BitWriter().bit(0).lh(false));
  });
}

export interface RejectedRequest {
  readonly request: RequestReference;
  /** T3122: seconds the mobile must wait before a new attempt (0..255). */
  readonly wait_s: number;
}

export interface ImmediateAssignmentReject {
  readonly page_mode?: PageMode;
  /** 1..4 rejected requests; unused slots repeat the first (the message always carries four). */
  readonly rejects: readonly RejectedRequest[];
}

export function encodeImmediateAssignmentReject(msg: ImmediateAssignmentReject): EncodeResult {
  return encodeSafely(() => {
    if (msg.rejects.length < 1 || msg.rejects.length > 4) {
      throw new EncodeError('out_of_range', `an immediate assignment reject carries 1..4 requests, got ${msg.rejects.length}`);
    }
    const l3 = new OctetWriter()
      .u8(RR_PROTOCOL_DISCRIMINATOR)
      .u8(RR_MESSAGE_TYPE.immediate_assignment_reject)
      .u8(pageModeOctet(msg.page_mode ?? 'normal'));
    for (let i = 0; i < 4; i++) {
      const reject = msg.rejects[i] ?? (msg.rejects[0] as RejectedRequest);
      l3.bytes(requestReferenceValue(reject.request)).u8(waitIndicationValue(reject.wait_s));
    }
    // IAR rest octets (§10.5.2.17): { 0 | 1 < Extended RA n : bit (5) > } x4 use plain 0/1 bits, so the
    // padding pattern cannot stand in for "absent"; then no Rel-13 additions (L).
    return frameCcchBlock(l3.toBytes(), new BitWriter().bitsOf(0, 4).lh(false));
  });
}
