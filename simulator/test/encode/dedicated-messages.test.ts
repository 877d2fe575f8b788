import { describe, expect, it } from 'vitest';
import {
  type CmServiceType,
  type LocationUpdatingType,
  GSMTAP_CHANNEL,
  encodeCmServiceRequest,
  encodeIdentityResponse,
  encodeLapdmBlock,
  encodeLocationUpdatingRequest,
  encodePagingResponse,
} from '../../src/encode/index.js';
import type { PdmlPacket } from './tshark-pdml.js';
import { decodeWithTshark, mncDigits, show, showInt, shows, unwrap } from './tshark-roundtrip.js';

/** Uplink SDCCH/8 sub-channel 2 on TS 1: where a mobile sends its first message after an assignment. */
const SDCCH_UPLINK = { channel: GSMTAP_CHANNEL.SDCCH8, timeslot: 1, sub_slot: 2, uplink: true } as const;

function sabm(l3: Uint8Array) {
  return encodeLapdmBlock({ type: 'SABM', direction: 'uplink', information: l3 });
}

/** CM service type codes, TS 24.008 §10.5.3.3. */
const SERVICE_CODE: Record<CmServiceType, number> = {
  mo_call: 1,
  emergency_call: 2,
  sms: 4,
  ss_activation: 8,
  voice_group_call: 9,
  voice_broadcast_call: 10,
  location_services: 11,
};
const LU_CODE: Record<LocationUpdatingType, number> = { normal: 0, periodic: 1, imsi_attach: 2 };

describe('dedicated-channel uplink messages in LAPDm SABM frames (tshark round trip)', () => {

  it('CM Service Request for every service type with TMSI and IMSI identities', async () => {
    const types = Object.keys(SERVICE_CODE) as CmServiceType[];
    const packets = await decodeWithTshark(
      types.map((service_type, i) => ({
        header: SDCCH_UPLINK,
        block: sabm(
          unwrap(
            encodeCmServiceRequest({
              service_type,
              cksn: i % 8,
              identity: i % 2 === 0 ? { type: 'tmsi', tmsi: 0x10000000 + i } : { type: 'imsi', digits: `26202000000000${i}` },
              classmark: { a5_3: i % 2 === 1 },
            }),
          ),
        ),
      })),
    );
    packets.forEach((p, i) => {
      expect(show(p, 'lapdm.control.u_modifier_cmd')).toBe('0x0b'); // SABM
      expect(show(p, 'lapdm.cr')).toBe('0'); // command from the MS
      expect(show(p, 'gsm_a.dtap.msg_mm_type')).toBe('0x24');
      expect(showInt(p, 'gsm_a.dtap.service_type')).toBe(SERVICE_CODE[types[i] as CmServiceType]);
      expect(showInt(p, 'gsm_a.dtap.ciphering_key_sequence_number')).toBe(i % 8);
      expect(show(p, 'gsm_a.MSC_rev')).toBe('2');
      expect(show(p, 'gsm_a.A5_3_algorithm_sup')).toBe(i % 2 === 1 ? '1' : '0');
      if (i % 2 === 0) expect(show(p, '3gpp.tmsi')).toBe(String(0x10000000 + i));
      else expect(show(p, 'e212.imsi')).toBe(`26202000000000${i}`);
    });
  });

  it('Location Updating Request: normal, periodic, IMSI attach; previous LAI with 2- and 3-digit MNC', async () => {
    const cases = [
      { updating_type: 'normal', previous_lai: { mcc: '262', mnc: '02', lac: 318 }, identity: { type: 'tmsi', tmsi: 0xcafe } },
      { updating_type: 'periodic', previous_lai: { mcc: '310', mnc: '260', lac: 65534 }, identity: { type: 'tmsi', tmsi: 1 } },
      {
        updating_type: 'imsi_attach',
        follow_on_request: true,
        previous_lai: { mcc: '460', mnc: '00', lac: 1 },
        identity: { type: 'imsi', digits: '460001234567890' },
      },
    ] as const;
    const packets = await decodeWithTshark(cases.map((c) => ({ header: SDCCH_UPLINK, block: sabm(unwrap(encodeLocationUpdatingRequest(c))) })));
    packets.forEach((p, i) => {
      const c = cases[i] as (typeof cases)[number];
      expect(show(p, 'gsm_a.dtap.msg_mm_type')).toBe('0x08');
      expect(showInt(p, 'gsm_a.dtap.updating_type')).toBe(LU_CODE[c.updating_type]);
      expect(showInt(p, 'gsm_a.dtap.follow_on_request')).toBe('follow_on_request' in c && c.follow_on_request ? 1 : 0);
      expect(show(p, 'e212.lai.mcc')).toBe(c.previous_lai.mcc);
      expect(mncDigits(p, 'e212.lai.mnc')).toEqual([c.previous_lai.mnc]);
      expect(showInt(p, 'gsm_a.lac')).toBe(c.previous_lai.lac);
      expect(show(p, 'gsm_a.RF_power_capability')).toBe('3');
      if (c.identity.type === 'tmsi') expect(show(p, '3gpp.tmsi')).toBe(String(c.identity.tmsi));
      else expect(show(p, 'e212.imsi')).toBe(c.identity.digits);
    });
  });

  it('Paging Response and Identity Response (IMSI, IMEI, IMEISV) with N(SD)', async () => {
    const packets = await decodeWithTshark([
      { header: SDCCH_UPLINK, block: sabm(unwrap(encodePagingResponse({ identity: { type: 'tmsi', tmsi: 0x015c5703 }, cksn: 3 }))) },
      { header: SDCCH_UPLINK, block: sabm(unwrap(encodePagingResponse({ identity: { type: 'imsi', digits: '262029999999999' } }))) },
      {
        header: SDCCH_UPLINK,
        block: encodeLapdmBlock({
          type: 'I',
          direction: 'uplink',
          ns: 1,
          nr: 2,
          information: unwrap(encodeIdentityResponse({ identity: { type: 'imei', digits: '490154203237518' }, send_sequence_number: 1 })),
        }),
      },
      {
        header: SDCCH_UPLINK,
        block: encodeLapdmBlock({
          type: 'I',
          direction: 'uplink',
          ns: 2,
          nr: 3,
          information: unwrap(encodeIdentityResponse({ identity: { type: 'imeisv', digits: '3534910123456701' }, send_sequence_number: 2 })),
        }),
      },
      {
        header: SDCCH_UPLINK,
        block: encodeLapdmBlock({
          type: 'I',
          direction: 'uplink',
          information: unwrap(encodeIdentityResponse({ identity: { type: 'imsi', digits: '001010000000001' } })),
        }),
      },
    ]);
    const [prTmsi, prImsi, irImei, irImeisv, irImsi] = packets as [PdmlPacket, PdmlPacket, PdmlPacket, PdmlPacket, PdmlPacket];
    expect(show(prTmsi, 'gsm_a.dtap.msg_rr_type')).toBe('0x27');
    expect(show(prTmsi, '3gpp.tmsi')).toBe(String(0x015c5703));
    expect(show(prTmsi, 'gsm_a.rr.ciphering_key_seq_num')).toBe('3');
    expect(show(prImsi, 'e212.imsi')).toBe('262029999999999');
    expect(show(irImei, 'gsm_a.dtap.msg_mm_type')).toBe('0x19');
    expect(show(irImei, 'gsm_a.dtap.seq_no')).toBe('1');
    expect(show(irImei, 'gsm_a.imei')).toBe('490154203237518');
    expect(show(irImei, 'lapdm.control.n_s')).toBe('1');
    expect(show(irImei, 'lapdm.control.n_r')).toBe('2');
    expect(show(irImeisv, 'gsm_a.imeisv')).toBe('3534910123456701');
    expect(show(irImeisv, 'gsm_a.dtap.seq_no')).toBe('2');
    expect(show(irImsi, 'e212.imsi')).toBe('001010000000001');
    expect(shows(irImsi, 'gsm_a.dtap.seq_no')).toEqual(['0']);
  });

  it('rejects identities and fields out of range', () => {
    expect(encodeCmServiceRequest({ service_type: 'sms', cksn: 8, identity: { type: 'tmsi', tmsi: 1 } })).toMatchObject({
      ok: false,
      reason: 'out_of_range',
    });
    expect(encodeIdentityResponse({ identity: { type: 'imeisv', digits: '123' } })).toMatchObject({ ok: false, reason: 'bad_digits' });
    expect(
      encodeLocationUpdatingRequest({
        updating_type: 'normal',
        previous_lai: { mcc: '2x2', mnc: '02', lac: 1 },
        identity: { type: 'tmsi', tmsi: 1 },
      }),
    ).toMatchObject({ ok: false, reason: 'bad_digits' });
    expect(encodeIdentityResponse({ identity: { type: 'tmsi', tmsi: 1 }, send_sequence_number: 4 })).toMatchObject({
      ok: false,
      reason: 'out_of_range',
    });
  });
});
