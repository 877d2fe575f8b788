import { describe, expect, it } from 'vitest';
import {
  type LapdmFrame,
  GSMTAP_CHANNEL,
  encodeLapdmBlock,
  encodePagingResponse,
  encodeSacchBlock,
} from '../../src/encode/index.js';
import type { PdmlPacket } from './tshark-pdml.js';
import { decodeWithTshark, show, showInt, shows, unwrap } from './tshark-roundtrip.js';

const pagingResponse = unwrap(encodePagingResponse({ identity: { type: 'tmsi', tmsi: 0x01020304 } }));

/** Control field values of TS 44.006 §3.8 (as LAPD): U-frame modifier codes tshark reports (M bits only). */
const U_MODIFIER = { SABM: '0x0b', DM: '0x03', UI: '0x00', DISC: '0x10', UA: '0x18' } as const;

describe('LAPDm and SACCH framing (tshark round trip)', () => {

  it('frame types, C/R by direction and role, sequence numbers, SAPI and the M bit', async () => {
    const frames: { frame: LapdmFrame; uplink: boolean; cr: string }[] = [
      { frame: { type: 'SABM', direction: 'uplink', information: pagingResponse }, uplink: true, cr: '0' },
      { frame: { type: 'UA', direction: 'downlink', information: pagingResponse }, uplink: false, cr: '0' },
      { frame: { type: 'I', direction: 'downlink', ns: 7, nr: 5, information: pagingResponse }, uplink: false, cr: '1' },
      { frame: { type: 'I', direction: 'uplink', ns: 0, nr: 7, information: pagingResponse, more: true }, uplink: true, cr: '0' },
      { frame: { type: 'RR', direction: 'uplink', nr: 3 }, uplink: true, cr: '1' },
      { frame: { type: 'RR', direction: 'downlink', nr: 4, command: true, poll_final: true }, uplink: false, cr: '1' },
      { frame: { type: 'UI', direction: 'downlink' }, uplink: false, cr: '1' },
      { frame: { type: 'DISC', direction: 'downlink' }, uplink: false, cr: '1' },
      { frame: { type: 'DM', direction: 'uplink' }, uplink: true, cr: '1' },
      { frame: { type: 'SABM', direction: 'uplink', sapi: 3 }, uplink: true, cr: '0' },
    ];
    const packets = await decodeWithTshark(
      frames.map((f) => ({
        header: { channel: GSMTAP_CHANNEL.SDCCH4, timeslot: 0, sub_slot: 2, uplink: f.uplink },
        block: encodeLapdmBlock(f.frame),
      })),
    );
    packets.forEach((p, i) => {
      const { frame, cr } = frames[i] as (typeof frames)[0];
      expect(show(p, 'lapdm.cr'), `frame ${i}`).toBe(cr);
      expect(showInt(p, 'lapdm.sapi')).toBe(frame.sapi ?? 0);
      expect(showInt(p, 'lapdm.length')).toBe(frame.information?.length ?? 0);
      expect(showInt(p, 'lapdm.m')).toBe(frame.more ? 1 : 0);
      if (frame.type === 'I') {
        expect(showInt(p, 'lapdm.control.n_s')).toBe(frame.ns);
        expect(showInt(p, 'lapdm.control.n_r')).toBe(frame.nr);
      } else if (frame.type === 'RR') {
        expect(showInt(p, 'lapdm.control.n_r')).toBe(frame.nr);
        expect(shows(p, 'lapdm.control.u_modifier_cmd')).toEqual([]);
      } else {
        const field = frame.type === 'UA' || frame.type === 'DM' ? 'lapdm.control.u_modifier_resp' : 'lapdm.control.u_modifier_cmd';
        expect(show(p, field)).toBe(U_MODIFIER[frame.type as keyof typeof U_MODIFIER]);
      }
    });
    const [sabm, ua] = packets as [PdmlPacket, PdmlPacket];
    expect(show(sabm, 'lapdm.control.p')).toBe('1');
    expect(show(ua, 'lapdm.control.f')).toBe('1');
    expect(show(sabm, 'gsm_a.dtap.msg_rr_type')).toBe('0x27');
  });

  it('SACCH blocks: L1 header (power, TA, FPC, SRR) + LAPDm; downlink UI in format B4 carries SI with its pseudo length', async () => {
    // A SYSTEM INFORMATION TYPE 6 body (TS 44.018 §9.1.40): L2 pseudo length 11, PD, type 0x1e, CI, LAI, options, NCC.
    const si6 = Uint8Array.of((11 << 2) | 1, 0x06, 0x1e, 0x2b, 0xd9, 0x62, 0xf2, 0x20, 0x01, 0x3e, 0x15, 0xff);
    const packets = await decodeWithTshark([
      {
        header: { channel: GSMTAP_CHANNEL.SDCCH8, acch: true, timeslot: 1, sub_slot: 1 },
        block: encodeSacchBlock({ ms_power_level: 5, ta_steps: 63, fast_power_control: true }, { type: 'UI', direction: 'downlink', information: si6 }),
      },
      {
        header: { channel: GSMTAP_CHANNEL.SDCCH8, acch: true, timeslot: 1, sub_slot: 1, uplink: true },
        block: encodeSacchBlock(
          { ms_power_level: 31, ta_steps: 0, sacch_repetition: true },
          { type: 'I', direction: 'uplink', ns: 0, nr: 0, information: pagingResponse },
        ),
      },
    ]);
    const [down, up] = packets as [PdmlPacket, PdmlPacket];
    expect(show(down, 'gsmtap.sacch_l1.power_lev')).toBe('5');
    expect(show(down, 'gsmtap.sacch_l1.ta')).toBe('63');
    expect(show(down, 'gsmtap.sacch_l1.fpc')).toBe('1');
    expect(show(down, 'gsm_a.dtap.msg_rr_type')).toBe('0x1e');
    expect(show(down, 'gsm_a.bssmap.cell_ci')).toBe('0x2bd9');
    expect(shows(down, 'lapdm.length')).toEqual([]);
    expect(show(up, 'gsmtap.sacch_l1.power_lev')).toBe('31');
    expect(show(up, 'gsmtap.sacch_l1.ta')).toBe('0');
    expect(show(up, 'gsmtap.sacch_l1.sro_srr')).toBe('1');
    expect(show(up, 'lapdm.length')).toBe(String(pagingResponse.length));
    expect(show(up, 'gsm_a.dtap.msg_rr_type')).toBe('0x27');
  });

  it('pads to 23 octets with 0x2B and refuses what LAPDm cannot carry', () => {
    const block = unwrap(encodeLapdmBlock({ type: 'UI', direction: 'downlink' }));
    expect([...block]).toEqual([0x03, 0x03, 0x01, ...new Array(20).fill(0x2b)]);
    expect(encodeLapdmBlock({ type: 'I', direction: 'uplink', information: new Uint8Array(21) })).toMatchObject({ ok: false, reason: 'too_long' });
    expect(encodeLapdmBlock({ type: 'RR', direction: 'uplink', information: new Uint8Array(1) })).toMatchObject({
      ok: false,
      reason: 'not_encodable',
    });
    expect(encodeLapdmBlock({ type: 'I', direction: 'uplink', ns: 8 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(
      encodeSacchBlock({ ms_power_level: 0, ta_steps: 0 }, { type: 'I', direction: 'uplink', information: new Uint8Array(19) }),
    ).toMatchObject({ ok: false, reason: 'too_long' });
    expect(encodeSacchBlock({ ms_power_level: 0, ta_steps: 64 }, { type: 'UI', direction: 'downlink' })).toMatchObject({
      ok: false,
      reason: 'out_of_range',
    });
  });
});
