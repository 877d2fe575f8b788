/**
 * Layer-2 framing of the 23-octet Um blocks:
 *  - CCCH/BCCH "L2 pseudo length" blocks (TS 44.018 §10.5.2.19, §9.1.x): one octet (L<<2)|0b01, the L3
 *    message, rest octets, spare padding 0x2B up to 23 octets;
 *  - LAPDm frames on SDCCH/FACCH (TS 44.006 §2–§3: format B, address, control, length indicator, fill);
 *  - SACCH blocks: the 2-octet SACCH L1 header (TS 44.004 §7.2) followed by a 21-octet LAPDm frame, and
 *    the 19-octet information of a B4 frame carrying SI5/5bis/5ter/6 with its L2 pseudo length.
 *
 * It frames bytes it is given; it must not build L3 messages.
 */
import { EncodeError, checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import { GSM_PADDING_OCTET, type BitWriter } from './writers.js';

/** Size of every Um signalling block (BCCH, CCCH, SDCCH, SACCH incl. L1 header). */
export const UM_BLOCK_OCTETS = 23;
/** LAPDm maximum information field (N201) for format B frames, TS 44.006 §5.8.3. */
export const LAPDM_N201_SDCCH = 20;
export const LAPDM_N201_SACCH = 18;

/**
 * A CCCH/BCCH block: pseudo length octet + `l3` + rest octets padded to 23 octets.
 * `pseudoLength` defaults to `l3.length` (the octets before the rest octets); SI13 overrides it to 0.
 */
export function frameCcchBlock(l3: Uint8Array, restOctets?: BitWriter, pseudoLength = l3.length): Uint8Array {
  checkRange('l2_pseudo_length', pseudoLength, 0, 63);
  const restSpace = UM_BLOCK_OCTETS - 1 - l3.length;
  if (restSpace < 0) throw new EncodeError('too_long', `L3 message of ${l3.length} octets exceeds the block`);
  const out = new Uint8Array(UM_BLOCK_OCTETS);
  out[0] = (pseudoLength << 2) | 0b01;
  out.set(l3, 1);
  if (restOctets) {
    out.set(restOctets.toBytesPadded(restSpace, 'rest octets'), 1 + l3.length);
  } else {
    out.fill(GSM_PADDING_OCTET, 1 + l3.length);
  }
  return out;
}

/** Information field of a downlink SACCH format-B4 UI frame: 23 − L1 header (2) − address and control (2). */
export const SACCH_B4_INFORMATION_OCTETS = 19;

/**
 * The information of a downlink SACCH B4 frame carrying a system information message (SI5/5bis/5ter/6):
 * L2 pseudo length octet + `l3` + rest octets padded to 19 octets. Wrap it with `encodeSacchBlock`
 * (type UI, downlink). `pseudoLength` defaults to `l3.length`.
 */
export function frameSacchSystemInformation(l3: Uint8Array, restOctets?: BitWriter, pseudoLength = l3.length): Uint8Array {
  checkRange('l2_pseudo_length', pseudoLength, 0, 63);
  const restSpace = SACCH_B4_INFORMATION_OCTETS - 1 - l3.length;
  if (restSpace < 0) throw new EncodeError('too_long', `L3 message of ${l3.length} octets exceeds the SACCH block`);
  const out = new Uint8Array(SACCH_B4_INFORMATION_OCTETS);
  out[0] = (pseudoLength << 2) | 0b01;
  out.set(l3, 1);
  if (restOctets) out.set(restOctets.toBytesPadded(restSpace, 'rest octets'), 1 + l3.length);
  else out.fill(GSM_PADDING_OCTET, 1 + l3.length);
  return out;
}

export type LapdmFrameType = 'I' | 'RR' | 'RNR' | 'REJ' | 'SABM' | 'DM' | 'UI' | 'DISC' | 'UA';

export interface LapdmFrame {
  readonly type: LapdmFrameType;
  /** MS→network (uplink) or network→MS (downlink); with `command` it sets the C/R bit. */
  readonly direction: 'uplink' | 'downlink';
  /** Command or response; defaults by type (I, UI, SABM, DISC: command; UA, DM: response; RR/RNR/REJ: response). */
  readonly command?: boolean;
  /** 0 for RR/MM/CC signalling, 3 for SMS. */
  readonly sapi?: number;
  /** Poll/final bit; defaults to 1 for SABM, DISC and UA (as sent in practice), else 0. */
  readonly poll_final?: boolean;
  /** Send sequence number N(S), I frames only, 0..7. */
  readonly ns?: number;
  /** Receive sequence number N(R), I and S frames, 0..7. */
  readonly nr?: number;
  /** Information field (an L3 message); allowed on I, UI, SABM and UA frames. */
  readonly information?: Uint8Array;
  /** The M ("more data") bit of a segmented message. */
  readonly more?: boolean;
}

const U_FRAME_CONTROL: Partial<Record<LapdmFrameType, number>> = {
  SABM: 0x2f,
  DM: 0x0f,
  UI: 0x03,
  DISC: 0x43,
  UA: 0x63,
};
const S_FRAME_CONTROL: Partial<Record<LapdmFrameType, number>> = { RR: 0x01, RNR: 0x05, REJ: 0x09 };
const COMMAND_BY_DEFAULT: Record<LapdmFrameType, boolean> = {
  I: true,
  UI: true,
  SABM: true,
  DISC: true,
  UA: false,
  DM: false,
  RR: false,
  RNR: false,
  REJ: false,
};
const INFORMATION_ALLOWED = new Set<LapdmFrameType>(['I', 'UI', 'SABM', 'UA']);

function controlOctet(frame: LapdmFrame): number {
  const pf = (frame.poll_final ?? ['SABM', 'DISC', 'UA'].includes(frame.type)) ? 0x10 : 0;
  if (frame.type === 'I') {
    const ns = checkRange('ns', frame.ns ?? 0, 0, 7);
    const nr = checkRange('nr', frame.nr ?? 0, 0, 7);
    return (nr << 5) | pf | (ns << 1);
  }
  const s = S_FRAME_CONTROL[frame.type];
  if (s !== undefined) return (checkRange('nr', frame.nr ?? 0, 0, 7) << 5) | pf | s;
  return (U_FRAME_CONTROL[frame.type] as number) | pf;
}

/** A format-B LAPDm frame (address, control, length indicator, information, fill) of `blockOctets`. */
export function buildLapdmFrame(frame: LapdmFrame, blockOctets: number, n201: number): Uint8Array {
  const information = frame.information ?? new Uint8Array(0);
  if (information.length > 0 && !INFORMATION_ALLOWED.has(frame.type)) {
    throw new EncodeError('not_encodable', `a LAPDm ${frame.type} frame carries no information field`);
  }
  if (information.length > n201) {
    throw new EncodeError('too_long', `information field of ${information.length} octets exceeds N201=${n201}`);
  }
  const sapi = checkRange('sapi', frame.sapi ?? 0, 0, 7);
  const command = frame.command ?? COMMAND_BY_DEFAULT[frame.type];
  // TS 44.006 §3.3.2 (C/R as in LAPD): the network sends commands with C/R=1, the MS with C/R=0.
  const cr = command === (frame.direction === 'downlink') ? 1 : 0;
  const out = new Uint8Array(blockOctets).fill(GSM_PADDING_OCTET);
  out[0] = (sapi << 2) | (cr << 1) | 0x01; // LPD=00, EA=1
  out[1] = controlOctet(frame);
  out[2] = (information.length << 2) | (frame.more ? 0x02 : 0) | 0x01; // EL=1
  out.set(information, 3);
  return out;
}

/** A 23-octet SDCCH (or FACCH) block holding one LAPDm frame. */
export function encodeLapdmBlock(frame: LapdmFrame): EncodeResult {
  return encodeSafely(() => buildLapdmFrame(frame, UM_BLOCK_OCTETS, LAPDM_N201_SDCCH));
}

export interface SacchL1Header {
  /** MS power level (ordered on downlink, used on uplink), 0..31. */
  readonly ms_power_level: number;
  /** Timing advance (ordered on downlink, actual on uplink), 0..63. */
  readonly ta_steps: number;
  /** Fast power control (FPC/EPC) bit. */
  readonly fast_power_control?: boolean;
  /** SACCH repetition order (downlink SRO) / request (uplink SRR). */
  readonly sacch_repetition?: boolean;
}

/**
 * A 23-octet SACCH block: L1 header (TS 44.004 §7.2) + a 21-octet LAPDm frame. A downlink SAPI-0 UI
 * frame uses format B4 (TS 44.006 §2.1: no length indicator): its information is a system information
 * message that carries its own L2 pseudo length (SI5/SI6, TS 44.018 §9.1.37, §9.1.40), up to 19 octets.
 * Every other frame uses format B with a length indicator (N201 = 18).
 */
export function encodeSacchBlock(l1: SacchL1Header, frame: LapdmFrame): EncodeResult {
  return encodeSafely(() => {
    const out = new Uint8Array(UM_BLOCK_OCTETS);
    const power = checkRange('ms_power_level', l1.ms_power_level, 0, 31);
    const ta = checkRange('ta_steps', l1.ta_steps, 0, 63);
    out[0] = (l1.sacch_repetition ? 0x40 : 0) | (l1.fast_power_control ? 0x20 : 0) | power;
    out[1] = ta;
    if (frame.direction === 'downlink' && frame.type === 'UI' && (frame.sapi ?? 0) === 0) {
      out.set(buildLapdmFormatB4(frame, UM_BLOCK_OCTETS - 2), 2);
    } else {
      out.set(buildLapdmFrame(frame, UM_BLOCK_OCTETS - 2, LAPDM_N201_SACCH), 2);
    }
    return out;
  });
}

/** Format B4: address and control octets, then the information directly (no length indicator). */
function buildLapdmFormatB4(frame: LapdmFrame, blockOctets: number): Uint8Array {
  const information = frame.information ?? new Uint8Array(0);
  if (information.length > blockOctets - 2) {
    throw new EncodeError('too_long', `B4 information of ${information.length} octets exceeds ${blockOctets - 2}`);
  }
  const withLength = buildLapdmFrame({ ...frame, information: new Uint8Array(0) }, blockOctets, 0);
  const out = new Uint8Array(blockOctets).fill(GSM_PADDING_OCTET);
  out[0] = withLength[0] as number;
  out[1] = withLength[1] as number;
  out.set(information, 2);
  return out;
}
