/**
 * The GSM decoder against tshark (run live) on every frame of every capture in test/vectors, in both
 * pcap and pcapng form, plus the checked-in tshark output (so a tshark upgrade that changes a field
 * shows up as a diff). Fails — never skips — when tshark is not installed.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tsharkFields, tsharkVersion } from '@simhound/test-support/tshark';
import { craftedPcapBytes } from '@simhound/test-support/pcap-fixtures';
import { compareFrame, decodePerPacket, oracleHasher, TSHARK_FIELDS } from './tshark-oracle.js';

const VECTORS = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');
const CAPTURES = [
  'GSMSP_20070204_robert_dbsrx_941.0MHz_128.bcch',
  'vf_call6_bcch_ccch_ts0.scrubbed',
  'vf_call6_bcch_ccch_ts0.dedup.scrubbed',
  'vf_call6_sdcch8_ts1_ss1.scrubbed',
  'vf_call6_bcch_sdcch_merged.scrubbed',
  'crafted-messages',
];
const UPDATE = process.env.SIMHOUND_UPDATE_VECTORS === '1';

describe('GSM decoder vs tshark', () => {
  it('runs against a real tshark', async () => {
    expect(await tsharkVersion()).toMatch(/TShark/);
  });

  it('crafted-messages.pcap is what the fixture builder makes', () => {
    expect(Buffer.compare(readFileSync(join(VECTORS, 'crafted-messages.pcap')), craftedPcapBytes())).toBe(0);
  });

  for (const name of CAPTURES) {
    it(`${name}: tshark output equals the checked-in expectation`, async () => {
      const live = await tsharkFields(join(VECTORS, `${name}.pcap`), TSHARK_FIELDS);
      const expectedPath = join(VECTORS, `${name}.tshark.json`);
      if (UPDATE || !existsSync(expectedPath)) writeFileSync(expectedPath, `${JSON.stringify(live, null, 0).replace(/\},\{/g, '},\n{')}\n`);
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as unknown;
      expect(live).toEqual(expected);
    });

    for (const ext of ['pcap', 'pcapng']) {
      it(`${name}.${ext}: every frame agrees with tshark`, async () => {
        const subRef = oracleHasher();
        const path = join(VECTORS, `${name}.${ext}`);
        const [rows, packets] = await Promise.all([tsharkFields(path, TSHARK_FIELDS), decodePerPacket(path, subRef)]);
        expect(packets.length).toBe(rows.length);
        expect(packets.length).toBeGreaterThan(0);
        const errors = rows.flatMap((row, i) => compareFrame(row, packets[i]!, subRef));
        expect(errors).toEqual([]);
      });
    }

    it(`${name}: pcap and pcapng decode identically`, async () => {
      const subRef = oracleHasher();
      const a = await decodePerPacket(join(VECTORS, `${name}.pcap`), subRef);
      const b = await decodePerPacket(join(VECTORS, `${name}.pcapng`), subRef);
      expect(b).toEqual(a);
    });
  }

  it('the real captures contain what PROVENANCE.md says (guards against a silently empty comparison)', async () => {
    const subRef = oracleHasher();
    const packets = await decodePerPacket(join(VECTORS, 'vf_call6_bcch_ccch_ts0.dedup.scrubbed.pcap'), subRef);
    const events = packets.flatMap((p) => p.events);
    const pagings = events.filter((e) => e.type === 'Paging');
    expect(pagings.filter((e) => e.message === 'paging_request_1')).toHaveLength(233);
    expect(pagings.filter((e) => e.message === 'paging_request_2')).toHaveLength(1);
    const imsis = new Set(pagings.flatMap((e) => (e.type === 'Paging' ? e.subs : [])).filter((s) => s.kind === 'imsi').map((s) => s.sub_ref));
    expect(imsis.size).toBe(4);
    const ia = events.filter((e) => e.type === 'Assignment');
    expect(ia).toHaveLength(2);
    const a = ia[0]!;
    if (a.type !== 'Assignment') throw new Error('unreachable');
    expect(a.request).toMatchObject({ ra: 38, t1p: 10, t3: 38, t2: 7, request_rfn: 13553 });
    expect(a.ta_steps).toBe(1);
    expect(a.channel_desc).toMatchObject({ chan_type: 'sdcch8', subchannel: 1, timeslot: 1, tsc: 0, arfcn: 725, hopping: false });
    // The assignment answers a request 19 frames earlier (862212 − 862193), well inside one RFN cycle.
    expect(a.request.request_fn).toBe(862193);
  });
});
