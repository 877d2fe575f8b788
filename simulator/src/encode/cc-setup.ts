/**
 * CC SETUP (TS 24.008 §9.3.23): mobile originating (§9.3.23.2, MS → network: Bearer Capability and the
 * Called Party BCD Number) or mobile terminating (§9.3.23.1, network → MS: Bearer Capability, optional
 * Calling Party BCD Number). A speech bearer (full rate, GSM speech version 1) is the only bearer
 * encoded. The numbers are the caller's (the world's); the encoder only BCD-codes them. Returns the bare
 * L3 message; wrap it with `encodeLapdmBlock` (an I frame).
 */
import { EncodeError, checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import { ccMessage, lv } from './l3-header.js';
import { CC_MESSAGE_TYPE } from './message-types.js';

const IEI = { bearer_capability: 0x04, calling_party_bcd_number: 0x5c, called_party_bcd_number: 0x5e } as const;

/** Bearer Capability §10.5.4.5, octet 3: extension 1, full rate only, GSM coding, circuit, speech. */
const SPEECH_BEARER = Uint8Array.of(0xa0);

/** A BCD party number (§10.5.4.7/§10.5.4.9): type of number + plan (E.164), then the digits. */
function partyNumberValue(digits: string, international: boolean): Uint8Array {
  if (!/^[0-9]{1,20}$/.test(digits)) throw new EncodeError('bad_digits', `party number '${digits}' must be 1..20 decimal digits`);
  const out = [0x80 | (international ? 0x10 : 0) | 0x01];
  for (let i = 0; i < digits.length; i += 2) {
    const low = digits.charCodeAt(i) - 48;
    const high = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 48 : 0x0f;
    out.push((high << 4) | low);
  }
  return Uint8Array.from(out);
}

export type CcSetup =
  | {
      readonly direction: 'mobile_originated';
      /** TI value 0..6 the mobile allocated. */
      readonly transaction_id: number;
      readonly called_number: string;
      readonly send_sequence_number?: number;
    }
  | {
      readonly direction: 'mobile_terminated';
      /** TI value 0..6 the network allocated. */
      readonly transaction_id: number;
      readonly calling_number?: string;
      readonly international?: boolean;
    };

export function encodeCcSetup(msg: CcSetup): EncodeResult {
  return encodeSafely(() => {
    checkRange('transaction_id', msg.transaction_id, 0, 6);
    if (msg.direction === 'mobile_originated') {
      return ccMessage(CC_MESSAGE_TYPE.setup, false, msg.transaction_id, msg.send_sequence_number ?? 0)
        .u8(IEI.bearer_capability)
        .bytes(lv(SPEECH_BEARER))
        .u8(IEI.called_party_bcd_number)
        .bytes(lv(partyNumberValue(msg.called_number, false)))
        .toBytes();
    }
    const l3 = ccMessage(CC_MESSAGE_TYPE.setup, false, msg.transaction_id).u8(IEI.bearer_capability).bytes(lv(SPEECH_BEARER));
    if (msg.calling_number !== undefined) l3.u8(IEI.calling_party_bcd_number).bytes(lv(partyNumberValue(msg.calling_number, msg.international ?? true)));
    return l3.toBytes();
  });
}
