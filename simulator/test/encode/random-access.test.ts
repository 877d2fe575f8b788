import { describe, expect, it } from 'vitest';
import { ESTABLISHMENT_CAUSES } from '@simhound/protocol';
import {
  CHANNEL_REQUEST_CAUSES,
  type ChannelNeeded,
  type ChannelRequest,
  type ChannelRequestCause,
  type MsChannelCapability,
  GSMTAP_CHANNEL,
  encodeChannelRequestRa,
  encodeImmediateAssignment,
  inferableEstablishmentCause,
} from '../../src/encode/index.js';
import { decodeWithTshark, show } from './tshark-roundtrip.js';

/**
 * The expected codes, restated from 3GPP TS 44.018 §9.1.8 (CHANNEL REQUEST), table 9.1.8.1 ("MS codes
 * according to establishment cause"), x = random reference bit. tshark has no establishment-cause field,
 * so the spec table is the oracle here (tshark only confirms the RA byte travels intact, below).
 */
const TABLE_9_1_8_1: Record<ChannelRequestCause, { neci0: string; neci1: string }> = {
  emergency_call: { neci0: '101xxxxx', neci1: '101xxxxx' },
  // "Call re-establishment; TCH/F was in use, or TCH/H was in use but the network does not set NECI bit to 1"
  call_reestablishment_tch_f: { neci0: '110xxxxx', neci1: '110xxxxx' },
  call_reestablishment_tch_h: { neci0: '110xxxxx', neci1: '011010xx' },
  call_reestablishment_tch_h_tch_h: { neci0: '110xxxxx', neci1: '011011xx' },
  answer_to_paging: { neci0: '100xxxxx', neci1: '100xxxxx' }, // any channel; table 9.1.8.2 below
  // "Originating call and TCH/F is needed, or originating call and the network does not set NECI bit to 1"
  originating_call_tch_f: { neci0: '111xxxxx', neci1: '111xxxxx' },
  originating_speech_call_tch_h: { neci0: '111xxxxx', neci1: '0100xxxx' },
  originating_data_call_tch_h: { neci0: '111xxxxx', neci1: '0101xxxx' },
  location_updating: { neci0: '000xxxxx', neci1: '0000xxxx' },
  // "procedures that can be completed with a SDCCH and the network does not set NECI bit to 1" → 111xxxxx
  other_sdcch_procedure: { neci0: '111xxxxx', neci1: '0001xxxx' },
  packet_single_block: { neci0: '01110xxx', neci1: '01110xxx' },
  lmu_establishment: { neci0: '01100111', neci1: '01100111' },
  // One phase packet access: 011110xx, 01111x0x, 01111xx0 (checked separately: three overlapping patterns).
  packet_one_phase: { neci0: '', neci1: '' },
};

/** TS 44.018 table 9.1.8.2 (answer to paging), rows = MS capability, columns = Channel Needed. */
const TABLE_9_1_8_2: Record<MsChannelCapability, Record<ChannelNeeded, string>> = {
  full_rate_only: { any: '100xxxxx', sdcch: '0001xxxx', tch_f: '100xxxxx', tch_h_or_f: '100xxxxx' },
  dual_rate: { any: '100xxxxx', sdcch: '0001xxxx', tch_f: '0010xxxx', tch_h_or_f: '0011xxxx' },
  sdcch_only: { any: '100xxxxx', sdcch: '0001xxxx', tch_f: '0001xxxx', tch_h_or_f: '0001xxxx' },
};

function matches(ra: number, pattern: string): boolean {
  const bits = ra.toString(2).padStart(8, '0');
  return [...pattern].every((p, i) => p === 'x' || p === bits[i]);
}

function ra(request: ChannelRequest): number {
  const result = encodeChannelRequestRa(request);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('RA byte of a CHANNEL REQUEST (TS 44.018 table 9.1.8.1)', () => {
  it('every cause, both NECI values, every random value: the RA matches the table and uses all random bits', () => {
    for (const [cause, expected] of Object.entries(TABLE_9_1_8_1) as [ChannelRequestCause, { neci0: string; neci1: string }][]) {
      if (cause === 'packet_one_phase') continue;
      for (const neci of [false, true]) {
        const pattern = neci ? expected.neci1 : expected.neci0;
        const seen = new Set<number>();
        for (let random = 0; random < 512; random++) {
          const value = ra({ cause, neci, random });
          expect(matches(value, pattern), `${cause} NECI=${Number(neci)} → ${value.toString(2)} vs ${pattern}`).toBe(true);
          seen.add(value);
        }
        const freeBits = [...pattern].filter((c) => c === 'x').length;
        expect(seen.size, `${cause} NECI=${Number(neci)} random reference coverage`).toBe(2 ** freeBits);
      }
    }
  });

  it('answer to paging follows table 9.1.8.2 for every channel needed and MS capability', () => {
    for (const [capability, row] of Object.entries(TABLE_9_1_8_2) as [MsChannelCapability, Record<ChannelNeeded, string>][]) {
      for (const [needed, pattern] of Object.entries(row) as [ChannelNeeded, string][]) {
        for (const neci of [false, true]) {
          for (let random = 0; random < 64; random++) {
            const value = ra({ cause: 'answer_to_paging', neci, random, channel_needed: needed, ms_capability: capability });
            expect(matches(value, pattern), `${capability}/${needed} → ${value.toString(2)}`).toBe(true);
          }
        }
      }
    }
  });

  it('one phase packet access uses 011110xx, 01111x0x or 01111xx0 and never 01111111', () => {
    const seen = new Set<number>();
    for (let random = 0; random < 100; random++) {
      const value = ra({ cause: 'packet_one_phase', neci: true, random });
      expect(['011110xx', '01111x0x', '01111xx0'].some((p) => matches(value, p))).toBe(true);
      seen.add(value);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e]);
  });

  it('with NECI = 1 the causes a SIM box produces are distinguishable from each other', () => {
    const patternOf = (cause: ChannelRequestCause) => TABLE_9_1_8_1[cause].neci1;
    const mo = ['originating_call_tch_f', 'originating_speech_call_tch_h', 'other_sdcch_procedure', 'location_updating'] as const;
    for (const a of mo) {
      for (const b of mo) {
        if (a === b) continue;
        for (let random = 0; random < 32; random++) expect(matches(ra({ cause: a, neci: true, random }), patternOf(b))).toBe(false);
      }
    }
  });

  it('maps each request to a cause of the protocol vocabulary that a receiver can infer', () => {
    for (const cause of CHANNEL_REQUEST_CAUSES) {
      for (const neci of [false, true]) {
        expect(ESTABLISHMENT_CAUSES).toContain(inferableEstablishmentCause({ cause, neci, random: 0 }));
      }
    }
    expect(inferableEstablishmentCause({ cause: 'other_sdcch_procedure', neci: false, random: 0 })).toBe('originating_call_or_sdcch');
    expect(inferableEstablishmentCause({ cause: 'other_sdcch_procedure', neci: true, random: 0 })).toBe('other_sdcch');
    expect(inferableEstablishmentCause({ cause: 'originating_speech_call_tch_h', neci: true, random: 0 })).toBe('originating_speech_tch_h');
    expect(inferableEstablishmentCause({ cause: 'originating_call_tch_f', neci: true, random: 0 })).toBe('originating_call');
  });

  it('rejects a negative or non-integer random value and an unknown cause', () => {
    expect(encodeChannelRequestRa({ cause: 'emergency_call', neci: true, random: -1 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeChannelRequestRa({ cause: 'emergency_call', neci: true, random: 0.5 })).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(encodeChannelRequestRa({ cause: 'bogus' as ChannelRequestCause, neci: true, random: 1 })).toMatchObject({
      ok: false,
      reason: 'out_of_range',
    });
  });

  describe('through tshark', () => {
    it('the RA of every cause is echoed intact in an Immediate Assignment request reference', async () => {
      const requests = CHANNEL_REQUEST_CAUSES.flatMap((cause) => [false, true].map((neci) => ({ cause, neci, random: 0x5a })));
      const packets = await decodeWithTshark(
        requests.map((r, i) => ({
          block: encodeImmediateAssignment({
            request: { ra: ra(r), request_frame_number: 1000 + i },
            ta_steps: i % 64,
            assignment: { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: i % 8, timeslot: 1, tsc: 2, rf: { arfcn: 62 } } },
          }),
        })),
      );
      packets.forEach((p, i) => expect(show(p, 'gsm_a.rr.ra')).toBe(String(ra(requests[i] as ChannelRequest))));
    });

    it('an uplink RACH burst is the bare RA octet after the GSMTAP header (tshark shows it as data)', async () => {
      const value = ra({ cause: 'originating_speech_call_tch_h', neci: true, random: 0x0b });
      const [p] = await decodeWithTshark([
        { header: { channel: GSMTAP_CHANNEL.RACH, uplink: true, frame_number: 13553 }, block: Uint8Array.of(value) },
      ]);
      expect(p && show(p, 'gsmtap.chan_type')).toBe(String(GSMTAP_CHANNEL.RACH));
      expect(p && show(p, 'gsmtap.uplink')).toBe('1');
      expect(p && show(p, 'data.data')).toBe(value.toString(16).padStart(2, '0'));
    });
  });
});
