/**
 * Mobility management on the SDCCH after the mobile's first message (TS 24.008 §9.2), both directions:
 *  - network → MS: IDENTITY REQUEST (§9.2.10), AUTHENTICATION REQUEST (§9.2.2), TMSI REALLOCATION
 *    COMMAND (§9.2.17), LOCATION UPDATING ACCEPT (§9.2.13) / REJECT (§9.2.14), CM SERVICE ACCEPT (§9.2.5) /
 *    REJECT (§9.2.6);
 *  - MS → network: AUTHENTICATION RESPONSE (§9.2.3), TMSI REALLOCATION COMPLETE (§9.2.18), and IMSI
 *    DETACH INDICATION (§9.2.12), a first message like those in dedicated-messages.ts.
 *
 * These return the bare L3 message; wrap it with `encodeLapdmBlock` (I frames; SABM for a first message).
 * Challenge values, identities and causes are the caller's: it must not invent them.
 */
import { EncodeError, checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import type { MmCommon } from './dedicated-messages.js';
import { type LocationAreaId, type MobileClassmark, type MobileIdentity, classmark1Value, locationAreaIdValue, mobileIdentityLv } from './identity.js';
import { lv, mmMessage } from './l3-header.js';
import { MM_MESSAGE_TYPE } from './message-types.js';

/** IEIs of optional MM IEs (TS 24.008 §9.2). */
const IEI = { autn: 0x20, extended_res: 0x21, mobile_identity: 0x17, follow_on_proceed: 0xa1 } as const;

function exactly(name: string, value: ArrayLike<number>, octets: number): ArrayLike<number> {
  if (value.length !== octets) throw new EncodeError('out_of_range', `${name} must be ${octets} octets, got ${value.length}`);
  return value;
}

/** Type of identity asked for, TS 24.008 §10.5.3.4. */
export const IDENTITY_TYPE = { imsi: 1, imei: 2, imeisv: 3, tmsi: 4 } as const;
export type RequestedIdentity = keyof typeof IDENTITY_TYPE;

export function encodeIdentityRequest(msg: { readonly identity_type: RequestedIdentity }): EncodeResult {
  return encodeSafely(() => {
    const type = IDENTITY_TYPE[msg.identity_type];
    if (type === undefined) throw new EncodeError('out_of_range', `unknown identity type ${String(msg.identity_type)}`);
    return mmMessage(MM_MESSAGE_TYPE.identity_request).u8(type).toBytes();
  });
}

export interface AuthenticationRequest {
  /** CKSN the new key will carry, 0..6. */
  readonly cksn: number;
  /** RAND, 16 octets. */
  readonly rand: ArrayLike<number>;
  /** AUTN, 16 octets: a UMTS challenge (the message then needs two LAPDm segments). */
  readonly autn?: ArrayLike<number>;
}

export function encodeAuthenticationRequest(msg: AuthenticationRequest): EncodeResult {
  return encodeSafely(() => {
    const l3 = mmMessage(MM_MESSAGE_TYPE.authentication_request)
      .u8(checkRange('cksn', msg.cksn, 0, 7))
      .bytes(exactly('rand', msg.rand, 16));
    if (msg.autn !== undefined) l3.u8(IEI.autn).bytes(lv(exactly('autn', msg.autn, 16)));
    return l3.toBytes();
  });
}

export interface AuthenticationResponse extends MmCommon {
  /** SRES (or the first 4 octets of RES), 4 octets. */
  readonly sres: ArrayLike<number>;
  /** The rest of a UMTS RES, 1..12 octets. */
  readonly extended_res?: ArrayLike<number>;
}

export function encodeAuthenticationResponse(msg: AuthenticationResponse): EncodeResult {
  return encodeSafely(() => {
    const l3 = mmMessage(MM_MESSAGE_TYPE.authentication_response, msg.send_sequence_number).bytes(exactly('sres', msg.sres, 4));
    if (msg.extended_res !== undefined) {
      checkRange('extended_res_octets', msg.extended_res.length, 1, 12);
      l3.u8(IEI.extended_res).bytes(lv(msg.extended_res));
    }
    return l3.toBytes();
  });
}

export interface TmsiReallocationCommand {
  readonly lai: LocationAreaId;
  /** The new identity (a TMSI, or an IMSI meaning "delete the TMSI"). */
  readonly identity: MobileIdentity;
}

export function encodeTmsiReallocationCommand(msg: TmsiReallocationCommand): EncodeResult {
  return encodeSafely(() =>
    mmMessage(MM_MESSAGE_TYPE.tmsi_reallocation_command).bytes(locationAreaIdValue(msg.lai)).bytes(mobileIdentityLv(msg.identity)).toBytes(),
  );
}

export function encodeTmsiReallocationComplete(msg: MmCommon = {}): EncodeResult {
  return encodeSafely(() => mmMessage(MM_MESSAGE_TYPE.tmsi_reallocation_complete, msg.send_sequence_number).toBytes());
}

export interface LocationUpdatingAccept {
  readonly lai: LocationAreaId;
  /** A new TMSI (TMSI reallocation within the update). */
  readonly identity?: MobileIdentity;
  readonly follow_on_proceed?: boolean;
}

export function encodeLocationUpdatingAccept(msg: LocationUpdatingAccept): EncodeResult {
  return encodeSafely(() => {
    const l3 = mmMessage(MM_MESSAGE_TYPE.location_updating_accept).bytes(locationAreaIdValue(msg.lai));
    if (msg.identity !== undefined) l3.u8(IEI.mobile_identity).bytes(mobileIdentityLv(msg.identity));
    if (msg.follow_on_proceed === true) l3.u8(IEI.follow_on_proceed);
    return l3.toBytes();
  });
}

/** MM reject causes the simulator uses (TS 24.008 §10.5.3.6); any 0..255 code may be given. */
export const MM_REJECT_CAUSE = {
  imsi_unknown_in_hlr: 2,
  illegal_ms: 3,
  imsi_unknown_in_vlr: 4,
  imei_not_accepted: 5,
  illegal_me: 6,
  plmn_not_allowed: 11,
  location_area_not_allowed: 12,
  roaming_not_allowed: 13,
  network_failure: 17,
  congestion: 22,
  service_option_not_subscribed: 33,
} as const;

export function encodeLocationUpdatingReject(msg: { readonly cause: number }): EncodeResult {
  return encodeSafely(() => mmMessage(MM_MESSAGE_TYPE.location_updating_reject).u8(checkRange('cause', msg.cause, 0, 255)).toBytes());
}

export function encodeCmServiceAccept(): EncodeResult {
  return encodeSafely(() => mmMessage(MM_MESSAGE_TYPE.cm_service_accept).toBytes());
}

export function encodeCmServiceReject(msg: { readonly cause: number }): EncodeResult {
  return encodeSafely(() => mmMessage(MM_MESSAGE_TYPE.cm_service_reject).u8(checkRange('cause', msg.cause, 0, 255)).toBytes());
}

export interface ImsiDetachIndication extends MmCommon {
  readonly classmark?: MobileClassmark;
  readonly identity: MobileIdentity;
}

export function encodeImsiDetachIndication(msg: ImsiDetachIndication): EncodeResult {
  return encodeSafely(() =>
    mmMessage(MM_MESSAGE_TYPE.imsi_detach_indication, msg.send_sequence_number)
      .bytes(classmark1Value(msg.classmark))
      .bytes(mobileIdentityLv(msg.identity))
      .toBytes(),
  );
}

