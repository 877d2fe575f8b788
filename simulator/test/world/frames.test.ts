/**
 * The simulator's frames as the edge agent's decoder reads them: every air event of a simulated
 * stretch of the demo world decodes back to what the world meant — cell identity (SI3, and SI6 on the
 * SACCH), TA, cause and channel of every assignment (single and extended), the requests of every
 * reject, the identities of every page, the Notification/NCH, and on each SDCCH the identity and
 * procedure echoed in the UA and every network message after it, on the timeslot, sub-slot and frame
 * numbers of the channel the Immediate Assignment gave. Encoder and decoder were written independently,
 * both against the spec. What ciphering hides never reaches a probe.
 */
import { describe, expect, it } from 'vitest';
import { GsmFrameDecoder, createSubRefHasher, tmsiToString, type GsmEvent } from '@simhound/edge-agent';
import { tsharkFields } from '@simhound/test-support/tshark';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GsmtapCaptureBuffer } from '../../src/capture/pcap-writer.js';
import { loadScenarioFile } from '../../src/scenario-file.js';
import { WorldStream } from '../../src/run.js';
import type { AirEvent, SimIdentity } from '../../src/world/air-events.js';
import { sacchPhase } from '../../src/world/sacch.js';
import { FRAME_MS } from '../../src/world/radio.js';
import type { Scenario } from '../../src/scenario.js';

const scenarioPath = fileURLToPath(new URL('../../scenarios/maseru-demo.yaml', import.meta.url));

/**
 * The demo world, decoding everything and losing nothing (this test is about encoding, not radio
 * conditions); Vodacom ciphers and has an NCH, Econet does not cipher (A5/0) so the messages after
 * authentication are in clear there; a rotating Econet GoIP-8 adds IMSI attaches and detaches.
 */
function demo(): Scenario {
  const sc = loadScenarioFile(scenarioPath);
  if (!sc.ok) throw new Error(sc.detail);
  const v = sc.value;
  return {
    ...v,
    operators: v.operators.map((o) => (o.plmn === '65101' ? { ...o, nch: true, ciphering: 'a5_1' as const } : { ...o, ciphering: 'a5_0' as const, tmsi_realloc_share: 0.3 })),
    dens: [
      ...v.dens,
      { ...v.dens[0]!, id: 'rot-8', type: 'goip-8', ports: 8, sims: 80, operators: ['65102'], lat_deg: -29.3050, lon_deg: 27.4700, rotation: { after_calls: 2, block_probability: 0, detach_old: true } },
    ],
    probes: v.probes.map((p) => ({ ...p, channels: ['bcch', 'ccch', 'sdcch'], frame_loss: 0, decode_error_rate: 0, hear_range_m: 20_000 })),
  };
}

const mod = (x: number, m: number) => ((x % m) + m) % m;

describe('simulated frames decode to the world that made them', () => {
  it('matches every BCCH, CCCH, NCH, SDCCH and SACCH frame of 10 busy minutes, on the assigned channel', () => {
    const scenario = demo();
    const stream = new WorldStream(scenario);
    const builder = stream.builders[0]!;
    const key = Buffer.alloc(32, 7);
    const subRef = createSubRefHasher(key);
    const decoder = new GsmFrameDecoder({ subRef });
    const ref = (id: SimIdentity) => (id.type === 'tmsi' ? { kind: 'tmsi', sub_ref: subRef('tmsi', tmsiToString(id.tmsi)) } : { kind: 'imsi', sub_ref: subRef('imsi', id.digits) });
    const seen: Record<string, number> = {};
    const count = (k: string) => (seen[k] = (seen[k] ?? 0) + 1);
    const events: AirEvent[] = [];
    stream.world.advance(stream.start_ts_ms + 600_000, (e) => events.push(e));
    /** Channel (cell, timeslot, sub-channel) → the last SDCCH assignment on it. */
    const assigned = new Map<string, number>();
    let nulls = 0;
    for (const e of events) {
      const bytes = builder.build(e);
      if (bytes === null) {
        nulls++; // a cell the probe does not hear, or lost near its sensitivity (counted below)
        continue;
      }
      const out: GsmEvent[] = [];
      expect(decoder.decode(bytes!, 0, bytes!.length, e.ts_ms, 'sim', (x) => out.push(x))).toBe('ok');
      expect(out).toHaveLength(e.kind === 'assignment' ? e.entries.length : 1);
      const d = out[0]!;
      const cell = scenario.cells[e.cell_index]!;
      const op = scenario.operators.find((o) => o.plmn === `${cell.mcc}${cell.mnc}`)!;
      expect(d.arfcn).toBe(cell.arfcn);
      expect(d.fn).toBe(e.fn);
      const cellKnown = e.ts_ms > stream.start_ts_ms + 3000; // SI3 of every cell has been broadcast
      if (cellKnown) expect(d.cell).toEqual({ mcc: cell.mcc, mnc: cell.mnc, lac: cell.lac, ci: cell.ci });
      count(e.kind);
      if (e.kind === 'bcch' || e.kind === 'paging' || e.kind === 'assignment' || e.kind === 'assignment_reject' || e.kind === 'nch') {
        expect([d.channel, d.timeslot, d.sub_slot, d.acch]).toEqual([e.kind === 'bcch' ? 'bcch' : 'ccch', 0, 0, false]);
      }
      switch (e.kind) {
        case 'bcch':
          expect(d.type).toBe('CellInfo');
          if (d.type === 'CellInfo' && d.message === 'system_information_1') expect(d.info.nch_position).toBe(op.nch ? 0 : null);
          break;
        case 'nch':
          expect(op.nch).toBe(true);
          // Byte for byte the empty notifications of the Vodafone DE capture (shared/data/gsmtap, FN 860937 …).
          expect(Buffer.from(bytes!.subarray(16)).toString('hex')).toBe(`0506208b${'2b'.repeat(19)}`);
          expect(mod(e.fn, 51)).toBe(6); // CCCH block 0, where SI1 says the NCH is
          expect(d).toMatchObject({ type: 'Notification', nln: 0, group_calls: [] });
          break;
        case 'assignment': {
          expect(d.type).toBe('Assignment');
          e.entries.forEach((entry, k) => {
            const dk = out[k]!;
            if (dk.type !== 'Assignment') throw new Error('not an assignment');
            expect(dk.message).toBe(e.entries.length === 2 ? 'immediate_assignment_extended' : 'immediate_assignment');
            expect(dk.ta_steps).toBe(entry.ta_steps);
            expect(dk.request.ra).toBe(entry.ra);
            if (cellKnown) expect(dk.request.cause).toBe(entry.cause);
            expect(dk.packet).toBe(entry.channel.type === 'pdch');
            if (entry.channel.type === 'sdcch8') {
              expect(dk.channel_desc).toMatchObject({ chan_type: 'sdcch8', timeslot: entry.channel.timeslot, subchannel: entry.channel.subchannel, arfcn: cell.arfcn });
              assigned.set(`${e.cell_index}:${entry.channel.timeslot}:${entry.channel.subchannel}`, e.ts_ms);
            }
          });
          if (e.entries.length === 2) count('extended');
          if (e.repeat) count('repeat');
          break;
        }
        case 'assignment_reject':
          expect(d.type).toBe('AssignmentReject');
          if (d.type === 'AssignmentReject') expect(d.requests.slice(0, e.entries.length).map((r) => r.ra)).toEqual(e.entries.map((r) => r.ra));
          break;
        case 'paging':
          expect(d.type).toBe('Paging');
          if (d.type === 'Paging') expect(d.subs).toEqual(e.pages.map((p) => ref(p.identity)));
          break;
        case 'sacch': {
          // SACCH/C8 of the assigned channel: SI5 then SI6, at the sub-channel's place in the 102-frame cycle.
          expect([d.channel, d.timeslot, d.sub_slot, d.acch, d.uplink]).toEqual(['sdcch8', e.timeslot, e.subchannel, true, false]);
          expect(mod(e.fn, 102)).toBe(sacchPhase(e.subchannel));
          expect(assigned.has(`${e.cell_index}:${e.timeslot}:${e.subchannel}`)).toBe(true);
          expect(d.type).toBe('CellInfo');
          if (d.type !== 'CellInfo') break;
          expect(d.message).toBe(e.si === 'si5' ? 'system_information_5' : 'system_information_6');
          if (e.si === 'si6') expect(d.info).toMatchObject({ ci: cell.ci, lac: cell.lac });
          count(`sacch_${e.si}`);
          break;
        }
        case 'dedicated': {
          expect([d.channel, d.timeslot, d.sub_slot, d.acch, d.uplink]).toEqual(['sdcch8', e.timeslot, e.subchannel, false, false]);
          expect(mod(e.fn, 51)).toBe(4 * e.subchannel);
          const since = e.ts_ms - assigned.get(`${e.cell_index}:${e.timeslot}:${e.subchannel}`)!;
          expect(since).toBeGreaterThan(0);
          expect(since).toBeLessThan(120_000);
          const m = e.message;
          count(m.type === 'ua_initial' ? `ua_${m.initial.kind}` : m.type);
          if (m.type === 'ua_initial') {
            if (d.type !== 'DedicatedRequest') throw new Error(`UA decoded as ${d.type}`);
            const init = m.initial;
            expect(d.message).toBe(init.kind);
            expect(d.subs).toEqual([ref(init.identity)]);
            if (init.kind === 'location_updating_request') expect(d.lu_type).toBe(init.lu_type);
            if (init.kind === 'cm_service_request') expect(d.service_type).toBe(init.service === 'ss_activation' ? 'ss' : init.service);
            break;
          }
          if (d.type !== 'Dedicated') throw new Error(`${m.type} decoded as ${d.type}`);
          expect(d.message).toBe(m.type);
          switch (m.type) {
            case 'authentication_request':
              expect(d).toMatchObject({ cksn: m.cksn, umts_autn: false });
              break;
            case 'ciphering_mode_command':
              expect(op.ciphering).toBe('a5_1');
              expect(d).toMatchObject({ start_ciphering: true, algorithm: 'a5_1', imeisv_requested: true });
              break;
            case 'location_updating_accept':
              expect(op.ciphering).toBe('a5_0');
              expect(d).toMatchObject({ lai: m.lai, subs: m.tmsi === null ? [] : [ref({ type: 'tmsi', tmsi: m.tmsi })] });
              break;
            case 'tmsi_reallocation_command':
              expect(op.ciphering).toBe('a5_0');
              expect(d).toMatchObject({ lai: m.lai, subs: [ref({ type: 'tmsi', tmsi: m.tmsi })] });
              break;
            case 'cm_service_accept':
              expect(op.ciphering).toBe('a5_0');
              break;
            case 'channel_release':
              expect(d).toMatchObject({ rr_cause: 'normal_event' });
              break;
          }
          break;
        }
      }
    }
    // Ten minutes hold every kind of frame, including packed pages, repeated assignments, and on the
    // SDCCH each message type the world sends in clear.
    expect(seen.bcch).toBeGreaterThan(1000);
    expect(seen.nch).toBeGreaterThan(1000);
    expect(seen.assignment).toBeGreaterThan(500);
    expect(seen.paging).toBeGreaterThan(50);
    expect(seen.repeat).toBeGreaterThan(10);
    for (const k of [
      'ua_cm_service_request', 'ua_location_updating_request', 'ua_paging_response', 'ua_imsi_detach_indication', 'authentication_request',
      'ciphering_mode_command', 'location_updating_accept', 'cm_service_accept', 'tmsi_reallocation_command', 'channel_release', 'sacch_si5', 'sacch_si6',
    ]) {
      expect(seen[k] ?? 0, k).toBeGreaterThan(5);
    }
    const counters = stream.probeCounters()[0]!;
    expect(counters.not_encodable).toEqual({});
    expect(nulls).toBe(counters.not_heard + counters.lost);
    expect(counters.lost).toBeLessThan(events.length / 100);
  });

  it('sends nothing a passive probe could not read: no message after the Ciphering Mode Command, no SACCH once the mobile ciphers', () => {
    const scenario = demo();
    const stream = new WorldStream(scenario);
    const events: AirEvent[] = [];
    stream.world.advance(stream.start_ts_ms + 600_000, (e) => events.push(e));
    const ciphering = new Set(scenario.cells.map((c, i) => (scenario.operators.find((o) => o.plmn === `${c.mcc}${c.mnc}`)!.ciphering === 'a5_1' ? i : -1)));
    /** Per channel (cell, timeslot, sub-channel): times of its assignments, Ciphering Mode Commands and SACCH blocks. */
    const channels = new Map<string, { ia: number[]; cmc: number[]; sacch: number[] }>();
    const of = (k: string) => channels.get(k) ?? channels.set(k, { ia: [], cmc: [], sacch: [] }).get(k)!;
    /** Channel → whether the connection now on it has had its Ciphering Mode Command. */
    const ciphered = new Map<string, boolean>();
    let cmcs = 0;
    for (const e of events) {
      if (e.kind === 'assignment' && !e.repeat) {
        for (const a of e.entries) {
          if (a.channel.type !== 'sdcch8') continue;
          const k = `${e.cell_index}:${a.channel.timeslot}:${a.channel.subchannel}`;
          ciphered.delete(k);
          of(k).ia.push(e.ts_ms);
        }
      }
      if (e.kind !== 'dedicated' && e.kind !== 'sacch') continue;
      const k = `${e.cell_index}:${e.timeslot}:${e.subchannel}`;
      if (e.kind === 'sacch') {
        of(k).sacch.push(e.ts_ms);
        continue;
      }
      if (!ciphering.has(e.cell_index)) {
        expect(e.message.type).not.toBe('ciphering_mode_command');
        continue;
      }
      // Nothing of a connection after its Ciphering Mode Command (the next connection starts with an assignment).
      expect(ciphered.get(k), `${e.message.type} after the Ciphering Mode Command`).toBeUndefined();
      expect(['location_updating_accept', 'cm_service_accept', 'tmsi_reallocation_command']).not.toContain(e.message.type);
      if (e.message.type === 'ciphering_mode_command') {
        ciphered.set(k, true);
        of(k).cmc.push(e.ts_ms);
        cmcs++;
      }
    }
    // SACCH blocks after a Ciphering Mode Command: only before the mobile's Ciphering Mode Complete (the
    // next uplink block, 15 frames after the command's block starts; the BTS ciphers from the end of that
    // block) — or those of the channel's next connection, which is activated up to 2 s before its
    // assignment goes out (AGCH queueing).
    let clearAfterCmc = 0;
    for (const [k, ch] of channels) {
      if (!ciphering.has(Number(k.split(':')[0]))) continue;
      for (const c of ch.cmc) {
        const next = ch.ia.find((t) => t > c) ?? Number.POSITIVE_INFINITY;
        for (const s of ch.sacch) {
          if (s <= c || s >= next - 2000) continue;
          expect(s - c, `SACCH on ${k} ${s - c} ms after the Ciphering Mode Command`).toBeLessThan(19 * FRAME_MS + 1e-6);
          clearAfterCmc++;
        }
      }
    }
    expect(cmcs).toBeGreaterThan(200);
    expect(clearAfterCmc).toBeGreaterThan(0);
  });

  it('emits no dedicated-channel events when no probe follows the SDCCH, and the world behaves the same', () => {
    const withSdcch = demo();
    const ccchOnly = { ...withSdcch, probes: withSdcch.probes.map((p) => ({ ...p, channels: ['bcch' as const, 'ccch' as const] })) };
    const run = (sc: Scenario) => {
      const stream = new WorldStream(sc);
      const kinds: Record<string, number> = {};
      const assignments: string[] = [];
      stream.world.advance(stream.start_ts_ms + 300_000, (e) => {
        kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
        if (e.kind === 'assignment') for (const a of e.entries) assignments.push(`${e.ts_ms}:${e.cell_index}:${a.ra}:${a.ta_steps}:${a.origin}`);
      });
      return { kinds, assignments };
    };
    const a = run(withSdcch);
    const b = run(ccchOnly);
    expect(a.kinds.dedicated).toBeGreaterThan(100);
    expect(a.kinds.sacch).toBeGreaterThan(100);
    expect(b.kinds.dedicated).toBeUndefined();
    expect(b.kinds.sacch).toBeUndefined();
    expect(b.assignments).toEqual(a.assignments);
    expect(b.kinds.nch).toBe(a.kinds.nch);
  });

  it('writes frames tshark dissects cleanly as the message, channel, sub-slot, frame number and LAPDm numbering the world sent', async () => {
    const scenario = demo();
    const stream = new WorldStream(scenario);
    const builder = stream.builders[0]!;
    const capture = GsmtapCaptureBuffer.create();
    if (!capture.ok) throw new Error(capture.reason);
    const sent: AirEvent[] = [];
    stream.world.advance(stream.start_ts_ms + 180_000, (e) => {
      const bytes = builder.build(e);
      if (bytes === null) return;
      expect(capture.value.write(bytes, Math.round(e.ts_ms * 1000))).toBe(true);
      sent.push(e);
    });
    const dir = mkdtempSync(join(tmpdir(), 'simhound-frames-'));
    try {
      const path = join(dir, 'demo.pcap');
      writeFileSync(path, capture.value.toBuffer());
      const fields = [
        'gsmtap.chan_type', 'gsmtap.ts', 'gsmtap.sub_slot', 'gsmtap.frame_nr', 'gsm_a.dtap.msg_rr_type', 'gsm_a.dtap.msg_mm_type',
        'lapdm.control.n_s', 'lapdm.control.n_r', 'gsmtap.sacch_l1.ta', 'gsmtap.sacch_l1.power_lev', '_ws.col.Info', '_ws.malformed', '_ws.expert',
      ];
      // tshark's LAPDm reassembly takes an I frame with the N(S) of the previous one on the same timeslot and
      // sub-slot (any ARFCN) for a retransmission and leaves it undissected; a downlink capture of several
      // cells has many such pairs (connections start at N(S) 0), so every frame is dissected on its own.
      const rows = await tsharkFields(path, fields, undefined, { 'lapdm.reassemble': 'FALSE' });
      expect(rows).toHaveLength(sent.length);
      const rrType: Record<string, string> = {
        si1: '0x19', si2: '0x1a', si3: '0x1b', si4: '0x1c', si13: '0x00', si5: '0x1d', si6: '0x1e', nch: '0x20', p1: '0x21', p2: '0x22', p3: '0x24',
        ia: '0x3f', iax: '0x39', iar: '0x3a', paging_response: '0x27', ciphering_mode_command: '0x35', channel_release: '0x0d',
      };
      const mmType: Record<string, string> = {
        cm_service_request: '0x24', location_updating_request: '0x08', imsi_detach_indication: '0x01', authentication_request: '0x12',
        location_updating_accept: '0x02', cm_service_accept: '0x21', tmsi_reallocation_command: '0x1a',
      };
      const kinds = new Set<string>();
      rows.forEach((row, i) => {
        const e = sent[i]!;
        const at = `frame ${i + 1} (${e.kind})`;
        expect(row['_ws.malformed'], at).toEqual([]);
        expect(row['_ws.expert'], at).toEqual([]);
        expect(row['gsmtap.frame_nr'], at).toEqual([String(e.fn)]);
        const rr = row['gsm_a.dtap.msg_rr_type']!;
        const mm = row['gsm_a.dtap.msg_mm_type']!;
        const channel = row['gsmtap.chan_type']![0];
        const slot = [row['gsmtap.ts']![0], row['gsmtap.sub_slot']![0]];
        switch (e.kind) {
          case 'bcch':
            expect([channel, rr], at).toEqual(['1', [rrType[e.si]]]);
            break;
          case 'nch':
          case 'paging':
          case 'assignment':
          case 'assignment_reject': {
            const expected =
              e.kind === 'nch' ? 'nch'
              : e.kind === 'assignment_reject' ? 'iar'
              : e.kind === 'assignment' ? (e.entries.length === 2 ? 'iax' : 'ia')
              : e.pages.length === 4 && e.pages.every((p) => p.identity.type === 'tmsi') ? 'p3'
              : e.pages.length === 3 ? 'p2' : 'p1';
            expect([channel, slot, rr], at).toEqual(['2', ['0', '0'], [rrType[expected]]]);
            break;
          }
          case 'sacch':
            kinds.add(e.si);
            expect([channel, slot, rr], at).toEqual(['136', [String(e.timeslot), String(e.subchannel)], [rrType[e.si]]]);
            expect([row['gsmtap.sacch_l1.ta'], row['gsmtap.sacch_l1.power_lev']], at).toEqual([[String(e.ta_steps)], ['5']]);
            break;
          case 'dedicated': {
            const m = e.message;
            expect([channel, slot], at).toEqual(['8', [String(e.timeslot), String(e.subchannel)]]);
            if (m.type === 'ua_initial') {
              kinds.add(m.initial.kind);
              expect(row['_ws.col.Info']![0], at).toContain('func=UA');
              if (m.initial.kind === 'paging_response') expect(rr, at).toEqual([rrType.paging_response]);
              else expect(mm, at).toEqual([mmType[m.initial.kind]]);
              break;
            }
            kinds.add(m.type);
            expect([row['lapdm.control.n_s'], row['lapdm.control.n_r']], at).toEqual([[String(e.ns)], [String(e.nr)]]);
            if (rrType[m.type] !== undefined) expect(rr, at).toEqual([rrType[m.type]]);
            else expect(mm, at).toEqual([mmType[m.type]]);
            break;
          }
        }
      });
      // The three minutes hold every message type the world sends on dedicated channels.
      expect([...kinds].sort()).toEqual(
        [
          'authentication_request', 'channel_release', 'ciphering_mode_command', 'cm_service_accept', 'cm_service_request', 'imsi_detach_indication',
          'location_updating_accept', 'location_updating_request', 'paging_response', 'si5', 'si6', 'tmsi_reallocation_command',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
