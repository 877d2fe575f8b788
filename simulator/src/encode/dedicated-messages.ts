/**
 * Uplink L3 messages a mobile sends on its new SDCCH, before ciphering starts — the messages that show
 * which subscriber (IMSI/TMSI/IMEI) came on air and why:
 *  - CM SERVICE REQUEST (TS 24.008 §9.2.9: MO call, SMS, SS, emergency …),
 *  - LOCATION UPDATING REQUEST (TS 24.008 §9.2.15: normal, periodic, IMSI attach),
 *  - PAGING RESPONSE (TS 44.018 §9.1.25),
 *  - IDENTITY RESPONSE (TS 24.008 §9.2.11).
 *
 * These return the bare L3 message; wrap it with `encodeLapdmBlock` (SABM for the first message of a
 * connection, I frames after it). It must not frame or schedule.
 */
import { checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import {
  type LocationAreaId,
  type MobileClassmark,
  type MobileIdentity,
  classmark1Value,
  classmark2Value,
  locationAreaIdValue,
  mobileIdentityLv,
} from './identity.js';
import { lv, mmMessage, rrMessage } from './l3-header.js';
import { MM_MESSAGE_TYPE, RR_MESSAGE_TYPE } from './message-types.js';

/** CM service type, TS 24.008 §10.5.3.3. */
export const CM_SERVICE_TYPE = {
  mo_call: 0b0001,
  emergency_call: 0b0010,
  sms: 0b0100,
  ss_activation: 0b1000,
  voice_group_call: 0b1001,
  voice_broadcast_call: 0b1010,
  location_services: 0b1011,
} as const;
export type CmServiceType = keyof typeof CM_SERVICE_TYPE;

/** Location updating type, TS 24.008 §10.5.3.5. */
export const LOCATION_UPDATING_TYPE = { normal: 0b00, periodic: 0b01, imsi_attach: 0b10 } as const;
export type LocationUpdatingType = keyof typeof LOCATION_UPDATING_TYPE;

/** "No key is available" ciphering key sequence number (TS 24.008 §10.5.1.2). */
export const CKSN_NO_KEY = 7;

export interface MmCommon {
  /** Ciphering key sequence number 0..7 (7 = no key). Default 7. */
  readonly cksn?: number;
  /** N(SD) send sequence number 0..3 in bits 8–7 of the message type (R99+ mobiles). Default 0. */
  readonly send_sequence_number?: number;
}

function mmHeader(type: number, common: MmCommon): ReturnType<typeof mmMessage> {
  return mmMessage(type, common.send_sequence_number ?? 0);
}

export interface CmServiceRequest extends MmCommon {
  readonly service_type: CmServiceType;
  readonly classmark?: MobileClassmark;
  readonly identity: MobileIdentity;
}

export function encodeCmServiceRequest(msg: CmServiceRequest): EncodeResult {
  return encodeSafely(() => {
    const cksn = checkRange('cksn', msg.cksn ?? CKSN_NO_KEY, 0, 7);
    return mmHeader(MM_MESSAGE_TYPE.cm_service_request, msg)
      .u8((cksn << 4) | CM_SERVICE_TYPE[msg.service_type])
      .bytes(lv(classmark2Value(msg.classmark)))
      .bytes(mobileIdentityLv(msg.identity))
      .toBytes();
  });
}

export interface LocationUpdatingRequest extends MmCommon {
  readonly updating_type: LocationUpdatingType;
  /** Follow-on request pending. Default false. */
  readonly follow_on_request?: boolean;
  /** The LAI the mobile was last registered in (from its SIM). */
  readonly previous_lai: LocationAreaId;
  readonly classmark?: MobileClassmark;
  readonly identity: MobileIdentity;
}

export function encodeLocationUpdatingRequest(msg: LocationUpdatingRequest): EncodeResult {
  return encodeSafely(() => {
    const cksn = checkRange('cksn', msg.cksn ?? CKSN_NO_KEY, 0, 7);
    const luType = ((msg.follow_on_request ?? false) ? 0x08 : 0) | LOCATION_UPDATING_TYPE[msg.updating_type];
    return mmHeader(MM_MESSAGE_TYPE.location_updating_request, msg)
      .u8((cksn << 4) | luType)
      .bytes(locationAreaIdValue(msg.previous_lai))
      .bytes(classmark1Value(msg.classmark))
      .bytes(mobileIdentityLv(msg.identity))
      .toBytes();
  });
}

export interface PagingResponse {
  readonly cksn?: number;
  readonly classmark?: MobileClassmark;
  readonly identity: MobileIdentity;
}

export function encodePagingResponse(msg: PagingResponse): EncodeResult {
  return encodeSafely(() => {
    const cksn = checkRange('cksn', msg.cksn ?? CKSN_NO_KEY, 0, 7);
    // CKSN in the low half octet, spare half octet above it (TS 44.018 §9.1.25).
    return rrMessage(RR_MESSAGE_TYPE.paging_response)
      .u8(cksn)
      .bytes(lv(classmark2Value(msg.classmark)))
      .bytes(mobileIdentityLv(msg.identity))
      .toBytes();
  });
}

export interface IdentityResponse {
  readonly identity: MobileIdentity;
  readonly send_sequence_number?: number;
}

export function encodeIdentityResponse(msg: IdentityResponse): EncodeResult {
  return encodeSafely(() =>
    mmHeader(MM_MESSAGE_TYPE.identity_response, msg).bytes(mobileIdentityLv(msg.identity)).toBytes(),
  );
}
