/**
 * Compare the GSM decoder with tshark frame by frame: decode a capture packet by packet, dump the same
 * frames with tshark, and list every disagreement (an empty list means they agree). Identities from
 * tshark are pseudonymised with the same keyed HMAC before comparison.
 */
import { MESSAGE_DECODERS } from '../../src/gsm/messages/index.js';
import { GsmFrameDecoder } from '../../src/gsm/frame-decoder.js';
import type { FrameOutcome } from '../../src/gsm/frame-outcome.js';
import type { GsmEvent } from '../../src/gsm/events.js';
import { createGsmtapHeader, parseGsmtapHeader, type GsmtapHeader } from '../../src/gsm/gsmtap.js';
import { createSubRefHasher, tmsiToString, type SubRefHasher } from '../../src/privacy/sub-ref.js';
import { readCapture } from '../../src/sources/capture-reader.js';
import { createUdpPayload, extractGsmtap } from '../../src/sources/link-layer.js';
import type { TsharkRow } from '@simhound/test-support/tshark';

export const TSHARK_FIELDS = [
  'frame.number',
  'gsmtap.version',
  'gsmtap.frame_nr',
  'gsmtap.chan_type',
  'gsmtap.ts',
  'gsmtap.sub_slot',
  'gsmtap.arfcn',
  'gsmtap.uplink',
  'gsmtap.signal_dbm',
  'gsmtap.snr_db',
  'gsm_a.dtap.msg_rr_type',
  'gsm_a.dtap.msg_mm_type',
  'gsm_a.dtap.msg_cc_type',
  'gsm_a.rr.page_mode',
  'gsm_a.rr.chnl_needed_ch1',
  'gsm_a.rr.chnl_needed_ch2',
  'e212.imsi',
  '3gpp.tmsi',
  'gsm_a.tmsi',
  'gsm_a.imei',
  'gsm_a.imeisv',
  'gsm_a.rr.dedicated_mode_or_tbf',
  'gsm_a.rr.ra',
  'gsm_a.rr.T1prim',
  'gsm_a.rr.T2',
  'gsm_a.rr.T3',
  'gsm_a.rr.rfn',
  'gsm_a.rr.timing_adv',
  'gsm_a.rr.wait_indication',
  'gsm_a.rr.tchf_acchs',
  'gsm_a.rr.tch_acch',
  'gsm_a.rr.sdcch4_sdcchc4_cbch',
  'gsm_a.rr.sdcch8_sdcchc8_cbch',
  'gsm_a.rr.packet_channel_type',
  'gsm_a.rr.tch_facch_sacchm',
  'gsm_a.rr.timeslot',
  'gsm_a.rr.training_sequence',
  'gsm_a.rr.hopping_channel',
  'gsm_a.rr.single_channel_arfcn',
  'gsm_a.rr.hopping_channel_maio',
  'gsm_a.rr.hsn',
  'gsm_a.dtap.service_type',
  'gsm_a.dtap.updating_type',
] as const;

/** The deployment key used for both sides of the comparison. */
export const ORACLE_KEY = Buffer.from('simhound-tshark-oracle-key-32-by', 'utf8');

export interface DecodedPacket {
  number: number;
  header: GsmtapHeader | null;
  outcome: FrameOutcome | null;
  events: GsmEvent[];
}

export async function decodePerPacket(path: string, subRef: SubRefHasher): Promise<DecodedPacket[]> {
  const decoder = new GsmFrameDecoder({ subRef });
  const udp = createUdpPayload();
  const out: DecodedPacket[] = [];
  const read = await readCapture(path, (p) => {
    const rec: DecodedPacket = { number: p.number, header: null, outcome: null, events: [] };
    out.push(rec);
    if (extractGsmtap(p.link_type, p.buf, p.offset, p.length, true, udp) !== null) return;
    const h = createGsmtapHeader();
    if (parseGsmtapHeader(p.buf, udp.offset, udp.length, h) === null) rec.header = h;
    rec.outcome = decoder.decode(p.buf, udp.offset, udp.length, p.ts_ms, path, (e) => rec.events.push(e));
  });
  if (!read.ok) throw new Error(`cannot read ${path}: ${read.reason}`);
  return out;
}

const num = (row: TsharkRow, f: string): number[] => (row[f] ?? []).map((v) => Number(v));
const one = (row: TsharkRow, f: string): number | undefined => num(row, f)[0];

const CHANNEL_NEEDED = ['any', 'sdcch', 'tch_f', 'tch_h_or_f'];
const PAGE_MODES = ['normal', 'extended', 'reorganisation', 'same_as_before'];
const SERVICE_TYPES: Record<number, string> = { 1: 'mo_call', 2: 'emergency_call', 4: 'sms', 8: 'ss', 9: 'voice_group_call', 10: 'voice_broadcast_call', 11: 'location_services' };
const LU_TYPES = ['normal', 'periodic', 'imsi_attach', 'reserved'];

function tsharkSubRefs(row: TsharkRow, subRef: SubRefHasher): string[] {
  const refs: string[] = [];
  for (const v of row['e212.imsi'] ?? []) refs.push(subRef('imsi', v));
  for (const v of row['gsm_a.imei'] ?? []) refs.push(subRef('imei', v));
  for (const v of row['gsm_a.imeisv'] ?? []) refs.push(subRef('imeisv', v));
  for (const v of [...(row['3gpp.tmsi'] ?? []), ...(row['gsm_a.tmsi'] ?? [])]) refs.push(subRef('tmsi', tmsiToString(Number(v))));
  return refs.sort();
}

function tsharkChannelType(row: TsharkRow, i: number): string {
  if ((row['gsm_a.rr.packet_channel_type'] ?? []).length > 0) return 'pdch';
  // IAX carries two channel descriptions; each present type field belongs to one of them in order.
  const kinds: string[] = [];
  const raw: { field: string; name: string }[] = [
    { field: 'gsm_a.rr.tchf_acchs', name: 'tch_f' },
    { field: 'gsm_a.rr.tch_acch', name: 'tch_h' },
    { field: 'gsm_a.rr.sdcch4_sdcchc4_cbch', name: 'sdcch4' },
    { field: 'gsm_a.rr.sdcch8_sdcchc8_cbch', name: 'sdcch8' },
  ];
  for (const r of raw) for (let k = 0; k < (row[r.field] ?? []).length; k++) kinds.push(r.name);
  return kinds.length === 1 ? kinds[0]! : (kinds[i] ?? 'unknown');
}

/**
 * Compare one tshark row with one decoded packet; returns human-readable mismatches. `hasDecoder` tells
 * whether the registry decodes a message type (the SI decoders of another module may or may not be
 * registered).
 */
export function compareFrame(row: TsharkRow, pkt: DecodedPacket, subRef: SubRefHasher): string[] {
  const errs: string[] = [];
  const at = `frame ${pkt.number}`;
  const expect = (what: string, ours: unknown, theirs: unknown) => {
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) errs.push(`${at}: ${what}: decoder ${JSON.stringify(ours)} ≠ tshark ${JSON.stringify(theirs)}`);
  };
  if (one(row, 'frame.number') !== pkt.number) errs.push(`${at}: frame numbering differs`);
  const h = pkt.header;
  if ((row['gsmtap.version'] ?? []).length === 0) {
    expect('GSMTAP present', h !== null, false);
    return errs;
  }
  if (h === null) return [`${at}: decoder found no GSMTAP header`];
  expect('frame number', h.frame_number, one(row, 'gsmtap.frame_nr'));
  expect('channel type', h.channel | (h.acch ? 0x80 : 0), one(row, 'gsmtap.chan_type'));
  expect('timeslot', h.timeslot, one(row, 'gsmtap.ts'));
  expect('sub-slot', h.sub_slot, one(row, 'gsmtap.sub_slot'));
  expect('arfcn', h.arfcn, one(row, 'gsmtap.arfcn'));
  expect('uplink', h.uplink, one(row, 'gsmtap.uplink') === 1);
  expect('signal dBm', h.signal_dbm, one(row, 'gsmtap.signal_dbm'));
  expect('SNR dB', h.snr_db, one(row, 'gsmtap.snr_db'));

  const rr = one(row, 'gsm_a.dtap.msg_rr_type');
  const mm = one(row, 'gsm_a.dtap.msg_mm_type');
  const cc = one(row, 'gsm_a.dtap.msg_cc_type');
  const decoder =
    rr !== undefined ? MESSAGE_DECODERS.find((d) => d.protocol === 'rr' && d.messageType === rr)
    : mm !== undefined ? MESSAGE_DECODERS.find((d) => d.protocol === 'mm' && d.messageType === (mm & 0x3f))
    : cc !== undefined ? MESSAGE_DECODERS.find((d) => d.protocol === 'cc' && d.messageType === (cc & 0x3f))
    : undefined;
  if (rr === undefined && mm === undefined && cc === undefined) {
    if (pkt.outcome === 'ok') errs.push(`${at}: decoder says ok but tshark sees no RR/MM/CC message`);
    return errs;
  }
  if (decoder === undefined) {
    expect('outcome for a message type without decoder', pkt.outcome, 'unsupported_message');
    return errs;
  }
  expect('outcome', pkt.outcome, 'ok');
  if (pkt.outcome !== 'ok') return errs;
  // System Information decoders may emit CellInfo or nothing; their fields are checked elsewhere.
  const events = pkt.events;
  for (const e of events) {
    expect('event frame number', e.fn, h.frame_number);
    expect('event rssi', e.rssi_dbm, h.signal_dbm);
    expect('event message', e.message, decoder.name);
  }
  const first = events[0];
  if (first === undefined) return errs;
  switch (first.type) {
    case 'Paging': {
      expect('page mode', first.page_mode, PAGE_MODES[one(row, 'gsm_a.rr.page_mode')!]);
      expect('channel needed', first.channel_needed, [CHANNEL_NEEDED[one(row, 'gsm_a.rr.chnl_needed_ch1')!], CHANNEL_NEEDED[one(row, 'gsm_a.rr.chnl_needed_ch2')!]]);
      expect('identities', first.subs.map((s) => s.sub_ref).sort(), tsharkSubRefs(row, subRef));
      break;
    }
    case 'Assignment': {
      const ras = num(row, 'gsm_a.rr.ra');
      expect('assignment count', events.length, ras.length);
      expect('page mode', first.page_mode, PAGE_MODES[one(row, 'gsm_a.rr.page_mode')!]);
      if (first.message === 'immediate_assignment') expect('packet (T/D)', first.packet, (one(row, 'gsm_a.rr.dedicated_mode_or_tbf')! & 1) === 1);
      events.forEach((ev, i) => {
        if (ev.type !== 'Assignment') return;
        expect(`#${i} RA`, ev.request.ra, ras[i]);
        expect(`#${i} T1'`, ev.request.t1p, num(row, 'gsm_a.rr.T1prim')[i]);
        expect(`#${i} T2`, ev.request.t2, num(row, 'gsm_a.rr.T2')[i]);
        expect(`#${i} T3`, ev.request.t3, num(row, 'gsm_a.rr.T3')[i]);
        expect(`#${i} RFN`, ev.request.request_rfn, num(row, 'gsm_a.rr.rfn')[i]);
        expect(`#${i} TA`, ev.ta_steps, num(row, 'gsm_a.rr.timing_adv')[i]);
        const cd = ev.channel_desc!;
        expect(`#${i} channel type`, cd.chan_type, tsharkChannelType(row, i));
        expect(`#${i} timeslot`, cd.timeslot, num(row, 'gsm_a.rr.timeslot')[i]);
        expect(`#${i} TSC`, cd.tsc, num(row, 'gsm_a.rr.training_sequence')[i]);
        expect(`#${i} hopping`, cd.hopping, num(row, 'gsm_a.rr.hopping_channel')[i] === 1);
        if (cd.hopping) {
          expect(`#${i} MAIO`, cd.maio, num(row, 'gsm_a.rr.hopping_channel_maio')[0]);
          expect(`#${i} HSN`, cd.hsn, num(row, 'gsm_a.rr.hsn')[0]);
        } else {
          expect(`#${i} ARFCN`, cd.arfcn, num(row, 'gsm_a.rr.single_channel_arfcn')[i]);
        }
        if (cd.chan_type === 'tch_h' || cd.chan_type === 'sdcch4' || cd.chan_type === 'sdcch8') {
          expect(`#${i} sub-channel`, cd.subchannel, num(row, 'gsm_a.rr.tch_facch_sacchm')[i]);
        }
      });
      break;
    }
    case 'AssignmentReject': {
      expect('page mode', first.page_mode, PAGE_MODES[one(row, 'gsm_a.rr.page_mode')!]);
      const theirs = new Set<string>();
      const ras = num(row, 'gsm_a.rr.ra');
      ras.forEach((ra, i) => {
        theirs.add(JSON.stringify([ra, num(row, 'gsm_a.rr.T1prim')[i], num(row, 'gsm_a.rr.T2')[i], num(row, 'gsm_a.rr.T3')[i], num(row, 'gsm_a.rr.rfn')[i], num(row, 'gsm_a.rr.wait_indication')[i]]));
      });
      const ours = first.requests.map((r) => JSON.stringify([r.ra, r.t1p, r.t2, r.t3, r.request_rfn, r.wait_indication_s]));
      expect('rejected requests', ours.sort(), [...theirs].sort());
      break;
    }
    case 'DedicatedRequest': {
      expect('identities', first.subs.map((s) => s.sub_ref).sort(), tsharkSubRefs(row, subRef));
      if (first.message === 'cm_service_request') expect('service type', first.service_type, SERVICE_TYPES[one(row, 'gsm_a.dtap.service_type')!] ?? 'other');
      if (first.message === 'location_updating_request') expect('LU type', first.lu_type, LU_TYPES[one(row, 'gsm_a.dtap.updating_type')!]);
      break;
    }
    // Their fields are compared with tshark's PDML in system-information.test.ts and
    // dedicated-messages.test.ts.
    case 'CellInfo':
    case 'Notification':
    case 'Dedicated':
    case 'DedicatedSession':
      break;
  }
  return errs;
}

export function oracleHasher(): SubRefHasher {
  return createSubRefHasher(ORACLE_KEY);
}
