/**
 * Radio resource messages on a dedicated channel (TS 44.018 §9.1): CIPHERING MODE COMMAND (§9.1.9,
 * network → MS) and COMPLETE (§9.1.10, MS → network, optionally with the IMEISV), CHANNEL RELEASE
 * (§9.1.7, RR cause §10.5.2.31) and CLASSMARK CHANGE (§9.1.11, Classmark 2 + optional Classmark 3).
 * They return the bare L3 message; wrap it with `encodeLapdmBlock` (I frames).
 */
import { EncodeError, checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import { type MobileClassmark, classmark2Value, mobileIdentityLv } from './identity.js';
import { lv, rrMessage } from './l3-header.js';
import { RR_MESSAGE_TYPE } from './message-types.js';

export const CIPHER_ALGORITHM = { a5_1: 0, a5_2: 1, a5_3: 2, a5_4: 3, a5_5: 4, a5_6: 5, a5_7: 6 } as const;
export type CipherAlgorithmName = keyof typeof CIPHER_ALGORITHM;

export interface CipheringModeCommand {
  /** SC: start ciphering. Default true. */
  readonly start_ciphering?: boolean;
  /** Algorithm when ciphering starts. Default A5/1. */
  readonly algorithm?: CipherAlgorithmName;
  /** CR: the MS shall include its IMEISV in the Ciphering Mode Complete. Default false. */
  readonly imeisv_requested?: boolean;
}

export function encodeCipheringModeCommand(msg: CipheringModeCommand = {}): EncodeResult {
  return encodeSafely(() => {
    const start = msg.start_ciphering ?? true;
    const algorithm = CIPHER_ALGORITHM[msg.algorithm ?? 'a5_1'];
    if (algorithm === undefined) throw new EncodeError('out_of_range', `unknown cipher algorithm ${String(msg.algorithm)}`);
    const setting = start ? (algorithm << 1) | 0x01 : 0;
    return rrMessage(RR_MESSAGE_TYPE.ciphering_mode_command).u8(((msg.imeisv_requested ?? false) ? 0x10 : 0) | setting).toBytes();
  });
}

/** Mobile Equipment Identity IEI (TS 44.018 §9.1.10). */
const IEI_MOBILE_EQUIPMENT_IDENTITY = 0x17;

export function encodeCipheringModeComplete(msg: { readonly imeisv?: string } = {}): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.ciphering_mode_complete);
    if (msg.imeisv !== undefined) l3.u8(IEI_MOBILE_EQUIPMENT_IDENTITY).bytes(mobileIdentityLv({ type: 'imeisv', digits: msg.imeisv }));
    return l3.toBytes();
  });
}

/** RR causes (TS 44.018 §10.5.2.31) the simulator uses; any 0..255 code may be given. */
export const RR_CAUSE = {
  normal_event: 0x00,
  abnormal_unspecified: 0x01,
  abnormal_timer_expired: 0x03,
  abnormal_no_activity: 0x04,
  preemptive_release: 0x05,
  call_already_cleared: 0x41,
} as const;

export function encodeChannelRelease(msg: { readonly rr_cause?: number } = {}): EncodeResult {
  return encodeSafely(() => rrMessage(RR_MESSAGE_TYPE.channel_release).u8(checkRange('rr_cause', msg.rr_cause ?? RR_CAUSE.normal_event, 0, 255)).toBytes());
}

/** Mobile Station Classmark 3 IEI (TS 44.018 §9.1.11). */
const IEI_CLASSMARK_3 = 0x20;

export interface ClassmarkChange {
  readonly classmark?: MobileClassmark;
  /** Classmark 3 value octets (TS 24.008 §10.5.1.7), 1..32; omitted = absent. */
  readonly classmark3?: ArrayLike<number>;
}

export function encodeClassmarkChange(msg: ClassmarkChange = {}): EncodeResult {
  return encodeSafely(() => {
    const l3 = rrMessage(RR_MESSAGE_TYPE.classmark_change).bytes(lv(classmark2Value({ cm3: msg.classmark3 !== undefined, ...msg.classmark })));
    if (msg.classmark3 !== undefined) {
      checkRange('classmark3_octets', msg.classmark3.length, 1, 32);
      l3.u8(IEI_CLASSMARK_3).bytes(lv(msg.classmark3));
    }
    return l3.toBytes();
  });
}
