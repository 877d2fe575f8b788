/**
 * The simulator's frames as the edge agent's decoder reads them: every air event of a simulated
 * stretch of the demo world decodes back to what the world meant — cell identity (SI3), TA, cause and
 * channel of every assignment (single and extended), the requests of every reject, the identities of
 * every page, and the identity and procedure echoed in every dedicated-channel UA. Encoder and decoder
 * were written independently, both against the spec.
 */
import { describe, expect, it } from 'vitest';
import { GsmFrameDecoder, createSubRefHasher, tmsiToString, type GsmEvent } from '@simhound/edge-agent';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/scenario-file.js';
import { WorldStream } from '../../src/run.js';
import type { AirEvent, SimIdentity } from '../../src/world/air-events.js';
import type { Scenario } from '../../src/scenario.js';

const scenarioPath = fileURLToPath(new URL('../../scenarios/maseru-demo.yaml', import.meta.url));

function demo(): Scenario {
  const sc = loadScenarioFile(scenarioPath);
  if (!sc.ok) throw new Error(sc.detail);
  // Decode everything, lose nothing: this test is about encoding, not about radio conditions.
  return { ...sc.value, probes: sc.value.probes.map((p) => ({ ...p, channels: ['bcch', 'ccch', 'sdcch'], frame_loss: 0, decode_error_rate: 0, hear_range_m: 20_000 })) };
}

describe('simulated frames decode to the world that made them', () => {
  it('matches cell, TA, cause, channel, paged identities and dedicated-channel identities for 10 busy minutes', () => {
    const scenario = demo();
    const stream = new WorldStream(scenario);
    const builder = stream.builders[0]!;
    const key = Buffer.alloc(32, 7);
    const subRef = createSubRefHasher(key);
    const decoder = new GsmFrameDecoder({ subRef });
    const ref = (id: SimIdentity) => (id.type === 'tmsi' ? { kind: 'tmsi', sub_ref: subRef('tmsi', tmsiToString(id.tmsi)) } : { kind: 'imsi', sub_ref: subRef('imsi', id.digits) });
    const seen: Record<string, number> = {};
    const events: AirEvent[] = [];
    stream.world.advance(stream.start_ts_ms + 600_000, (e) => events.push(e));
    for (const e of events) {
      const bytes = builder.build(e);
      if (bytes === null) continue; // dedicated messages without an encoder yet
      const out: GsmEvent[] = [];
      expect(decoder.decode(bytes, 0, bytes.length, e.ts_ms, 'sim', (x) => out.push(x))).toBe('ok');
      expect(out).toHaveLength(e.kind === 'assignment' ? e.entries.length : 1);
      const d = out[0]!;
      const cell = scenario.cells[e.cell_index]!;
      expect(d.arfcn).toBe(cell.arfcn);
      const cellKnown = e.ts_ms > stream.start_ts_ms + 3000; // SI3 of every cell has been broadcast
      if (cellKnown) expect(d.cell).toEqual({ mcc: cell.mcc, mnc: cell.mnc, lac: cell.lac, ci: cell.ci });
      seen[e.kind] = (seen[e.kind] ?? 0) + 1;
      switch (e.kind) {
        case 'bcch':
          expect(d.type).toBe('CellInfo');
          break;
        case 'assignment': {
          expect(d.type).toBe('Assignment');
          if (d.type !== 'Assignment') break;
          e.entries.forEach((entry, k) => {
            const dk = out[k]!;
            if (dk.type !== 'Assignment') throw new Error('not an assignment');
            expect(dk.message).toBe(e.entries.length === 2 ? 'immediate_assignment_extended' : 'immediate_assignment');
            expect(dk.ta_steps).toBe(entry.ta_steps);
            expect(dk.request.ra).toBe(entry.ra);
            if (cellKnown) expect(dk.request.cause).toBe(entry.cause);
            expect(dk.packet).toBe(entry.channel.type === 'pdch');
            if (entry.channel.type === 'sdcch8') {
              expect(dk.channel_desc?.chan_type).toBe('sdcch8');
              expect(dk.channel_desc?.timeslot).toBe(entry.channel.timeslot);
              expect(dk.channel_desc?.subchannel).toBe(entry.channel.subchannel);
            }
          });
          if (e.entries.length === 2) seen.extended = (seen.extended ?? 0) + 1;
          if (e.repeat) seen.repeat = (seen.repeat ?? 0) + 1;
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
        case 'dedicated': {
          expect(d.type).toBe('DedicatedRequest');
          if (d.type !== 'DedicatedRequest' || e.message.type !== 'ua_initial') break;
          expect(d.channel).toBe('sdcch8');
          expect(d.timeslot).toBe(e.timeslot);
          expect(d.sub_slot).toBe(e.subchannel);
          const init = e.message.initial;
          expect(d.message).toBe(init.kind);
          expect(d.subs).toEqual([ref(init.identity)]);
          if (init.kind === 'location_updating_request') expect(d.lu_type).toBe(init.lu_type);
          if (init.kind === 'cm_service_request') expect(d.service_type).toBe(init.service === 'ss_activation' ? 'ss' : init.service);
          break;
        }
      }
    }
    // The ten minutes hold every kind of frame, including packed pages and repeated assignments.
    expect(seen.bcch).toBeGreaterThan(1000);
    expect(seen.assignment).toBeGreaterThan(500);
    expect(seen.paging).toBeGreaterThan(50);
    expect(seen.dedicated).toBeGreaterThan(300);
    expect(seen.repeat).toBeGreaterThan(10);
  });
});
