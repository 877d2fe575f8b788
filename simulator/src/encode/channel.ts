/**
 * Radio-resource information elements that describe a channel or answer a request (TS 44.018 §10.5.2):
 * Channel Description (§10.5.2.5), Packet Channel Description (§10.5.2.25a), Request Reference
 * (§10.5.2.30, with the starting-time style T1'/T3/T2 split of the request frame number), Timing
 * Advance (§10.5.2.40), Mobile Allocation (§10.5.2.21), Wait Indication (§10.5.2.43), Page Mode
 * (§10.5.2.26) and Channel Needed (§10.5.2.8).
 *
 * Pure value encoders; they must not decide which channel a request gets (that is the world model).
 */
import { EncodeError, checkRange } from './encode-result.js';
import { OctetWriter } from './writers.js';

export type DedicatedChannelType = 'tch_f' | 'tch_h' | 'sdcch4' | 'sdcch8';

/** Either a single RF channel or a hopping channel (MAIO/HSN over the Mobile Allocation). */
export type RfChannel = { readonly arfcn: number } | { readonly maio: number; readonly hsn: number };

export interface ChannelDescription {
  readonly channel_type: DedicatedChannelType;
  /** Sub-channel: TCH/H 0..1, SDCCH/4 0..3, SDCCH/8 0..7; ignored for TCH/F. */
  readonly subchannel?: number;
  readonly timeslot: number;
  /** Training sequence code 0..7. */
  readonly tsc: number;
  readonly rf: RfChannel;
}

/** "Channel type and TDMA offset" field, TS 44.018 §10.5.2.5 (5 bits). */
function channelTypeAndOffset(type: DedicatedChannelType, subchannel: number): number {
  switch (type) {
    case 'tch_f':
      return 0b00001;
    case 'tch_h':
      return 0b00010 | checkRange('subchannel', subchannel, 0, 1);
    case 'sdcch4':
      return 0b00100 | checkRange('subchannel', subchannel, 0, 3);
    case 'sdcch8':
      return 0b01000 | checkRange('subchannel', subchannel, 0, 7);
  }
}

/** Octets 3–4 shared by Channel Description and Packet Channel Description: TSC, H, ARFCN or MAIO/HSN. */
function tscAndRf(tsc: number, rf: RfChannel): [number, number] {
  checkRange('tsc', tsc, 0, 7);
  if ('arfcn' in rf) {
    const arfcn = checkRange('arfcn', rf.arfcn, 0, 1023);
    return [(tsc << 5) | (arfcn >> 8), arfcn & 0xff];
  }
  const maio = checkRange('maio', rf.maio, 0, 63);
  const hsn = checkRange('hsn', rf.hsn, 0, 63);
  return [(tsc << 5) | 0x10 | (maio >> 2), ((maio & 0x03) << 6) | hsn];
}

/** Channel Description value, 3 octets. */
export function channelDescriptionValue(cd: ChannelDescription): Uint8Array {
  const timeslot = checkRange('timeslot', cd.timeslot, 0, 7);
  const [octet3, octet4] = tscAndRf(cd.tsc, cd.rf);
  return Uint8Array.of((channelTypeAndOffset(cd.channel_type, cd.subchannel ?? 0) << 3) | timeslot, octet3, octet4);
}

export interface PacketChannelDescription {
  readonly timeslot: number;
  readonly tsc: number;
  readonly rf: RfChannel;
}

/** Packet Channel Description value, 3 octets (channel type 00001: PDCH), direct RF encoding only. */
export function packetChannelDescriptionValue(pcd: PacketChannelDescription): Uint8Array {
  const timeslot = checkRange('timeslot', pcd.timeslot, 0, 7);
  const [octet3, octet4] = tscAndRf(pcd.tsc, pcd.rf);
  return Uint8Array.of((0b00001 << 3) | timeslot, octet3, octet4);
}

/** The TDMA frame number wraps at 26 × 51 × 2048 (TS 45.002 §4.3.3). */
export const FRAME_NUMBER_MODULUS = 26 * 51 * 2048;

export interface RequestReference {
  /** The RA byte of the CHANNEL REQUEST being answered. */
  readonly ra: number;
  /** Absolute frame number the CHANNEL REQUEST was received in. */
  readonly request_frame_number: number;
}

/** The starting-time style split of a frame number: T1' = (FN div 1326) mod 32, T3 = FN mod 51, T2 = FN mod 26. */
export function frameNumberToT1T2T3(frameNumber: number): { t1_prime: number; t2: number; t3: number } {
  checkRange('frame_number', frameNumber, 0, FRAME_NUMBER_MODULUS - 1);
  return {
    t1_prime: Math.floor(frameNumber / 1326) % 32,
    t2: frameNumber % 26,
    t3: frameNumber % 51,
  };
}

/** Request Reference value, 3 octets: RA, then T1'(5) T3(6) T2(5). */
export function requestReferenceValue(ref: RequestReference): Uint8Array {
  const ra = checkRange('ra', ref.ra, 0, 0xff);
  const { t1_prime, t2, t3 } = frameNumberToT1T2T3(ref.request_frame_number);
  return Uint8Array.of(ra, (t1_prime << 3) | (t3 >> 3), ((t3 & 0x07) << 5) | t2);
}

/** Timing Advance value, 1 octet: two spare bits and the TA (0..63 steps of 553.5 m). */
export function timingAdvanceValue(taSteps: number): number {
  return checkRange('ta_steps', taSteps, 0, 63);
}

/**
 * Mobile Allocation as LV (TS 44.018 §10.5.2.21): a bit map over the cell allocation, MA C1 being bit 1
 * of the last octet. `caIndexes` are 1-based positions in the cell allocation (the ARFCNs of SI1 in
 * ascending order, TS 44.018 §10.5.2.21 / TS 45.002).
 */
export function mobileAllocationLv(caIndexes: readonly number[]): Uint8Array {
  if (caIndexes.length === 0) return Uint8Array.of(0);
  for (const i of caIndexes) checkRange('mobile_allocation_index', i, 1, 64);
  const highest = Math.max(...caIndexes);
  const octets = Math.ceil(highest / 8);
  const out = new Uint8Array(1 + octets);
  out[0] = octets;
  for (const i of caIndexes) {
    const fromEnd = Math.floor((i - 1) / 8); // 0 = last octet
    const octetIndex = 1 + octets - 1 - fromEnd;
    out[octetIndex] = (out[octetIndex] as number) | (1 << ((i - 1) % 8));
  }
  return out;
}

/** Wait Indication (T3122 / T3142) in seconds, 1 octet. */
export function waitIndicationValue(waitS: number): number {
  return checkRange('wait_s', waitS, 0, 255);
}

/** Page Mode, TS 44.018 §10.5.2.26. */
export const PAGE_MODE = { normal: 0, extended: 1, reorganization: 2, same_as_before: 3 } as const;
export type PageMode = keyof typeof PAGE_MODE;

/** Channel Needed, TS 44.018 §10.5.2.8. */
export const CHANNEL_NEEDED = { any: 0, sdcch: 1, tch_f: 2, tch_h_or_f: 3 } as const;
export type ChannelNeeded = keyof typeof CHANNEL_NEEDED;

/** The half octet of Page Mode with (optionally) Channel Needed for two mobiles in the upper half. */
export function pageModeOctet(pageMode: PageMode, first?: ChannelNeeded, second?: ChannelNeeded): number {
  const pm = PAGE_MODE[pageMode];
  if (pm === undefined) throw new EncodeError('out_of_range', `unknown page mode ${String(pageMode)}`);
  const c1 = CHANNEL_NEEDED[first ?? 'any'];
  const c2 = CHANNEL_NEEDED[second ?? 'any'];
  if (c1 === undefined || c2 === undefined) throw new EncodeError('out_of_range', 'unknown channel needed');
  return (c2 << 6) | (c1 << 4) | pm;
}

/** Starting Time value (TS 44.018 §10.5.2.38), 2 octets: T1'(5) T3(6) T2(5) of the starting frame. */
export function startingTimeValue(frameNumber: number): Uint8Array {
  const { t1_prime, t2, t3 } = frameNumberToT1T2T3(frameNumber);
  return new OctetWriter().u8((t1_prime << 3) | (t3 >> 3)).u8(((t3 & 0x07) << 5) | t2).toBytes();
}
