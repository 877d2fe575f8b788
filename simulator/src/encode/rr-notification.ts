/**
 * NOTIFICATION/NCH (TS 44.018 §9.1.21b) as a complete 23-octet CCCH block: NT/N Rest Octets
 * (§10.5.2.22c) with NLN(NCH) and group call notifications (Group Call Reference TS 24.008 §10.5.1.9,
 * optional group channel: Channel Description §10.5.2.5 + optional Mobile Allocation). Release 6/7
 * additions are left out. It encodes what it is given; which calls exist is the world's business.
 */
import { checkRange, encodeSafely, type EncodeResult } from './encode-result.js';
import { type ChannelDescription, channelDescriptionValue } from './channel.js';
import { frameCcchBlock } from './l2-framing.js';
import { rrMessage } from './l3-header.js';
import { RR_MESSAGE_TYPE } from './message-types.js';
import { BitWriter } from './writers.js';

export interface GroupCallNotification {
  /** Binary code of the group or broadcast call reference, 27 bits. */
  readonly group_call_ref: number;
  readonly service: 'vgcs' | 'vbs';
  /** AF: acknowledgement required. */
  readonly acknowledgement_required?: boolean;
  /** Call priority code 0..7 (0 = no priority). */
  readonly priority?: number;
  /** Ciphering information 0..15 (0 = not ciphered). */
  readonly ciphering?: number;
  readonly channel?: ChannelDescription;
  /** Mobile Allocation value octets for a hopping group channel. */
  readonly mobile_allocation?: readonly number[];
}

export interface NotificationNch {
  /** NLN(NCH) 0..3; omitted = absent. */
  readonly nln?: number;
  readonly group_calls?: readonly GroupCallNotification[];
  /** L2 pseudo length; default 2 (PD + type, as §10.5.2.19 counts them). Some BTSs send 1. */
  readonly l2_pseudo_length?: number;
}

export function encodeNotificationNch(msg: NotificationNch): EncodeResult {
  return encodeSafely(() => {
    const rest = new BitWriter();
    if (msg.nln !== undefined) rest.bit(1).bitsOf(checkRange('nln', msg.nln, 0, 3), 2);
    else rest.bit(0);
    for (const call of msg.group_calls ?? []) {
      rest
        .bit(1)
        .bitsOf(checkRange('group_call_ref', call.group_call_ref, 0, 2 ** 27 - 1), 27)
        .bit(call.service === 'vgcs')
        .bit(call.acknowledgement_required ?? false)
        .bitsOf(checkRange('priority', call.priority ?? 0, 0, 7), 3)
        .bitsOf(checkRange('ciphering', call.ciphering ?? 0, 0, 15), 4);
      if (call.channel) {
        rest.bit(1);
        for (const octet of channelDescriptionValue(call.channel)) rest.bitsOf(octet, 8);
        if (call.mobile_allocation) {
          rest.bit(1).bit(0).bitsOf(checkRange('mobile_allocation_length', call.mobile_allocation.length, 0, 8), 8);
          for (const octet of call.mobile_allocation) rest.bitsOf(checkRange('mobile_allocation', octet, 0, 255), 8);
        } else rest.bit(0);
      } else rest.bit(0);
    }
    rest.bit(0);
    const l3 = rrMessage(RR_MESSAGE_TYPE.notification_nch).toBytes();
    return frameCcchBlock(l3, rest, msg.l2_pseudo_length ?? l3.length);
  });
}
