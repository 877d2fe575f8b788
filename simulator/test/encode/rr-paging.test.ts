import { describe, expect, it } from 'vitest';
import {
  type PagingRequestType1,
  encodePagingRequestType1,
  encodePagingRequestType2,
  encodePagingRequestType3,
} from '../../src/encode/index.js';
import { decodeWithTshark, mncDigits, show, showInt, shows, unwrap } from './tshark-roundtrip.js';

/** tshark's channel-needed codes (TS 44.018 §10.5.2.8). */
const NEEDED = { any: 0, sdcch: 1, tch_f: 2, tch_h_or_f: 3 } as const;

describe('paging request encoders (tshark round trip)', () => {

  it('Paging Request Type 1: every identity type, channel needed, optional second identity', async () => {
    const messages: PagingRequestType1[] = [
      { identity_1: { type: 'imsi', digits: '262021234567890' }, channel_needed_1: 'tch_f' },
      { identity_1: { type: 'imsi', digits: '31026012345678' } }, // 14 digits: even count, filler nibble
      { identity_1: { type: 'tmsi', tmsi: 0 }, identity_2: { type: 'tmsi', tmsi: 0xffffffff }, channel_needed_2: 'sdcch' },
      { identity_1: { type: 'imei', digits: '490154203237518' }, channel_needed_1: 'tch_h_or_f' },
      { identity_1: { type: 'imeisv', digits: '3534910123456701' } },
      { identity_1: { type: 'none' } },
      {
        page_mode: 'extended',
        identity_1: { type: 'tmsi', tmsi: 0x015c5703 },
        channel_needed_1: 'sdcch',
        identity_2: { type: 'imsi', digits: '460001234567890' },
        channel_needed_2: 'tch_f',
      },
    ];
    const packets = await decodeWithTshark(messages.map((m) => ({ block: encodePagingRequestType1(m) })));
    const [imsi15, imsi14, twoTmsi, imei, imeisv, none, mixed] = packets as [
      (typeof packets)[0],
      (typeof packets)[0],
      (typeof packets)[0],
      (typeof packets)[0],
      (typeof packets)[0],
      (typeof packets)[0],
      (typeof packets)[0],
    ];
    for (const p of packets) expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x21');

    expect(show(imsi15, 'e212.imsi')).toBe('262021234567890');
    expect(show(imsi15, 'gsm_a.ie.mobileid.type')).toBe('1');
    expect(showInt(imsi15, 'gsm_a.rr.chnl_needed_ch1')).toBe(NEEDED.tch_f);
    expect(showInt(imsi15, 'gsm_a.rr.page_mode')).toBe(0);
    expect(show(imsi14, 'e212.imsi')).toBe('31026012345678');
    expect(mncDigits(imsi14, 'e212.mnc')).toEqual(['260']);

    expect(shows(twoTmsi, '3gpp.tmsi')).toEqual(['0', String(0xffffffff)]);
    expect(shows(twoTmsi, 'gsm_a.ie.mobileid.type')).toEqual(['4', '4']);
    expect(showInt(twoTmsi, 'gsm_a.rr.chnl_needed_ch2')).toBe(NEEDED.sdcch);

    expect(show(imei, 'gsm_a.imei')).toBe('490154203237518');
    expect(show(imei, 'gsm_a.ie.mobileid.type')).toBe('2');
    expect(showInt(imei, 'gsm_a.rr.chnl_needed_ch1')).toBe(NEEDED.tch_h_or_f);

    expect(show(imeisv, 'gsm_a.imeisv')).toBe('3534910123456701');
    expect(show(imeisv, 'gsm_a.ie.mobileid.type')).toBe('3');

    expect(show(none, 'gsm_a.ie.mobileid.type')).toBe('0');
    expect(shows(none, '3gpp.tmsi')).toEqual([]);
    expect(shows(none, 'e212.imsi')).toEqual([]);

    expect(showInt(mixed, 'gsm_a.rr.page_mode')).toBe(1);
    expect(show(mixed, '3gpp.tmsi')).toBe(String(0x015c5703));
    expect(show(mixed, 'e212.imsi')).toBe('460001234567890');
    expect(showInt(mixed, 'gsm_a.rr.chnl_needed_ch1')).toBe(NEEDED.sdcch);
    expect(showInt(mixed, 'gsm_a.rr.chnl_needed_ch2')).toBe(NEEDED.tch_f);
  });

  it('Paging Request Type 2: two TMSIs and an optional third identity', async () => {
    const packets = await decodeWithTshark([
      { block: encodePagingRequestType2({ tmsi_1: 0x11223344, tmsi_2: 0xa0b0c0d0, channel_needed_1: 'tch_f' }) },
      {
        block: encodePagingRequestType2({
          tmsi_1: 1,
          tmsi_2: 2,
          channel_needed_2: 'tch_h_or_f',
          identity_3: { type: 'imsi', digits: '001011234567890' },
        }),
      },
      { block: encodePagingRequestType2({ tmsi_1: 7, tmsi_2: 8, identity_3: { type: 'tmsi', tmsi: 9 } }) },
    ]);
    const [plain, withImsi, withTmsi] = packets as [(typeof packets)[0], (typeof packets)[0], (typeof packets)[0]];
    for (const p of packets) expect(show(p, 'gsm_a.dtap.msg_rr_type')).toBe('0x22');
    expect(shows(plain, 'gsm_a.tmsi')).toEqual([String(0x11223344), String(0xa0b0c0d0)]);
    expect(showInt(plain, 'gsm_a.rr.chnl_needed_ch1')).toBe(NEEDED.tch_f);
    expect(shows(withImsi, 'gsm_a.tmsi')).toEqual(['1', '2']);
    expect(show(withImsi, 'e212.imsi')).toBe('001011234567890');
    expect(showInt(withImsi, 'gsm_a.rr.chnl_needed_ch2')).toBe(NEEDED.tch_h_or_f);
    expect(shows(withTmsi, 'gsm_a.tmsi')).toEqual(['7', '8']);
    expect(show(withTmsi, '3gpp.tmsi')).toBe('9');
  });

  it('Paging Request Type 3: four TMSIs, channel needed 3 and 4 in the rest octets', async () => {
    const tmsis = [0x01020304, 0x05060708, 0x090a0b0c, 0xfffffffe] as const;
    const packets = await decodeWithTshark([
      { block: encodePagingRequestType3({ tmsis, channels_needed: ['any', 'sdcch', 'tch_f', 'tch_h_or_f'] }) },
      { block: encodePagingRequestType3({ tmsis: [1, 2, 3, 4] }) },
    ]);
    const [needed, plain] = packets as [(typeof packets)[0], (typeof packets)[0]];
    expect(show(needed, 'gsm_a.dtap.msg_rr_type')).toBe('0x24');
    expect(shows(needed, 'gsm_a.tmsi')).toEqual(tmsis.map(String));
    expect(showInt(needed, 'gsm_a.rr.chnl_needed_ch1')).toBe(NEEDED.any);
    expect(showInt(needed, 'gsm_a.rr.chnl_needed_ch2')).toBe(NEEDED.sdcch);
    expect(showInt(needed, 'gsm_a.rr.chnl_needed_ch3')).toBe(NEEDED.tch_f);
    expect(showInt(needed, 'gsm_a.rr.chnl_needed_ch4')).toBe(NEEDED.tch_h_or_f);
    expect(shows(plain, 'gsm_a.tmsi')).toEqual(['1', '2', '3', '4']);
    expect(shows(plain, 'gsm_a.rr.chnl_needed_ch3')).toEqual([]);
  });

  it('every block is 23 octets with the L2 pseudo length of the octets before the rest octets', () => {
    const block = unwrap(encodePagingRequestType1({ identity_1: { type: 'tmsi', tmsi: 5 } }));
    expect(block.length).toBe(23);
    // PD, type, page mode, LV TMSI (1 + 5) = 9 octets → (9 << 2) | 1.
    expect(block[0]).toBe((9 << 2) | 1);
  });

  it('rejects bad identities with typed reasons', () => {
    expect(encodePagingRequestType1({ identity_1: { type: 'imsi', digits: '26202A' } })).toMatchObject({ ok: false, reason: 'bad_digits' });
    expect(encodePagingRequestType1({ identity_1: { type: 'imsi', digits: '1234567890123456' } })).toMatchObject({
      ok: false,
      reason: 'bad_digits',
    });
    expect(encodePagingRequestType1({ identity_1: { type: 'imei', digits: '12345' } })).toMatchObject({ ok: false, reason: 'bad_digits' });
    expect(encodePagingRequestType1({ identity_1: { type: 'tmsi', tmsi: 2 ** 32 } })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodePagingRequestType2({ tmsi_1: -1, tmsi_2: 0 })).toMatchObject({ ok: false, reason: 'out_of_range' });
  });
});
