/**
 * PAGING REQUEST TYPE 1, 2 and 3 (TS 44.018 §9.1.22, §9.1.23, §9.1.24) as complete 23-octet CCCH
 * blocks (L2 pseudo length + message + rest octets + padding), ready to follow a GSMTAP header with
 * channel type CCCH or PCH.
 *
 * It encodes what it is told to page; choosing whom to page and when is the world model's job.
 */
import { type EncodeResult, EncodeError, checkRange, encodeSafely } from './encode-result.js';
import { CHANNEL_NEEDED, type ChannelNeeded, type PageMode, pageModeOctet } from './channel.js';
import { type MobileIdentity, mobileIdentityLv, mobileIdentityValue } from './identity.js';
import { frameCcchBlock } from './l2-framing.js';
import { RR_MESSAGE_TYPE, RR_PROTOCOL_DISCRIMINATOR } from './message-types.js';
import { BitWriter, OctetWriter } from './writers.js';

/** IEI of the optional Mobile Identity 2/3 in paging requests. */
const MOBILE_IDENTITY_IEI = 0x17;

/** Notification List Number (VGCS/VBS notifications on the NCH) as paging rest octets carry it. */
export interface NotificationListNumber {
  /** NLN(PCH), 0..3. */
  readonly nln: number;
  /** NLN status(PCH), 0..1. */
  readonly status: 0 | 1;
}

function writeNln(rest: BitWriter, nln: NotificationListNumber | undefined): BitWriter {
  if (!nln) return rest.lh(false);
  return rest.lh(true).bitsOf(checkRange('nln', nln.nln, 0, 3), 2).bitsOf(checkRange('nln_status', nln.status, 0, 1), 1);
}

export interface PagingRequestType1 {
  readonly page_mode?: PageMode;
  readonly identity_1: MobileIdentity;
  readonly channel_needed_1?: ChannelNeeded;
  readonly identity_2?: MobileIdentity;
  readonly channel_needed_2?: ChannelNeeded;
  /** P1 rest octets NLN(PCH); omitted = absent. */
  readonly nln?: NotificationListNumber;
}

export function encodePagingRequestType1(msg: PagingRequestType1): EncodeResult {
  return encodeSafely(() => {
    const l3 = new OctetWriter()
      .u8(RR_PROTOCOL_DISCRIMINATOR)
      .u8(RR_MESSAGE_TYPE.paging_request_1)
      .u8(pageModeOctet(msg.page_mode ?? 'normal', msg.channel_needed_1, msg.channel_needed_2))
      .bytes(mobileIdentityLv(msg.identity_1));
    if (msg.identity_2) l3.u8(MOBILE_IDENTITY_IEI).bytes(mobileIdentityLv(msg.identity_2));
    // P1 rest octets (§10.5.2.23): NLN(PCH) if given; priorities, group call and packet page indications absent (L).
    return frameCcchBlock(l3.toBytes(), writeNln(new BitWriter(), msg.nln));
  });
}

function tmsiValue(tmsi: number): Uint8Array {
  return mobileIdentityValue({ type: 'tmsi', tmsi }).subarray(1);
}

export interface PagingRequestType2 {
  readonly page_mode?: PageMode;
  readonly tmsi_1: number;
  readonly channel_needed_1?: ChannelNeeded;
  readonly tmsi_2: number;
  readonly channel_needed_2?: ChannelNeeded;
  /** Optional third mobile, any identity type (IEI 0x17). */
  readonly identity_3?: MobileIdentity;
  /** Channel needed for the third mobile (P2 rest octets); omitted = absent. */
  readonly channel_needed_3?: ChannelNeeded;
  readonly nln?: NotificationListNumber;
}

export function encodePagingRequestType2(msg: PagingRequestType2): EncodeResult {
  return encodeSafely(() => {
    const l3 = new OctetWriter()
      .u8(RR_PROTOCOL_DISCRIMINATOR)
      .u8(RR_MESSAGE_TYPE.paging_request_2)
      .u8(pageModeOctet(msg.page_mode ?? 'normal', msg.channel_needed_1, msg.channel_needed_2))
      .bytes(tmsiValue(msg.tmsi_1))
      .bytes(tmsiValue(msg.tmsi_2));
    if (msg.identity_3) l3.u8(MOBILE_IDENTITY_IEI).bytes(mobileIdentityLv(msg.identity_3));
    // P2 rest octets (§10.5.2.24): { L | H < CN3 : bit (2) > } { L | H < NLN(PCH) > < NLN status > } …
    const rest = new BitWriter();
    if (msg.channel_needed_3 === undefined) rest.lh(false);
    else rest.lh(true).bitsOf(CHANNEL_NEEDED[msg.channel_needed_3], 2, 'channel_needed_3');
    return frameCcchBlock(l3.toBytes(), writeNln(rest, msg.nln));
  });
}

export interface PagingRequestType3 {
  readonly page_mode?: PageMode;
  /** Exactly four TMSIs. */
  readonly tmsis: readonly [number, number, number, number];
  /** Channel needed for mobiles 1..4 (3 and 4 travel in the P3 rest octets). */
  readonly channels_needed?: readonly [ChannelNeeded?, ChannelNeeded?, ChannelNeeded?, ChannelNeeded?];
  readonly nln?: NotificationListNumber;
}

export function encodePagingRequestType3(msg: PagingRequestType3): EncodeResult {
  return encodeSafely(() => {
    if (msg.tmsis.length !== 4) throw new EncodeError('out_of_range', 'paging request type 3 pages exactly 4 TMSIs');
    const needed = msg.channels_needed ?? [];
    const l3 = new OctetWriter()
      .u8(RR_PROTOCOL_DISCRIMINATOR)
      .u8(RR_MESSAGE_TYPE.paging_request_3)
      .u8(pageModeOctet(msg.page_mode ?? 'normal', needed[0], needed[1]));
    for (const tmsi of msg.tmsis) l3.bytes(tmsiValue(checkRange('tmsi', tmsi, 0, 0xffffffff)));
    // P3 rest octets (§10.5.2.25): { L | H < CHANNEL FIRST : bit(2) > < CHANNEL SECOND : bit(2) > } …
    const rest = new BitWriter();
    if (needed[2] !== undefined || needed[3] !== undefined) {
      rest.lh(true).bitsOf(CHANNEL_NEEDED[needed[2] ?? 'any'], 2).bitsOf(CHANNEL_NEEDED[needed[3] ?? 'any'], 2);
    } else {
      rest.lh(false);
    }
    return frameCcchBlock(l3.toBytes(), writeNln(rest, msg.nln));
  });
}
