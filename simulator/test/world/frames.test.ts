/**
 * The simulator's frames as the edge agent's decoder reads them: every air event of a simulated
 * stretch of the demo world decodes back to what the world meant (cell identity from SI3, TA, cause,
 * paged TMSI → sub_ref). Encoder and decoder were written independently, both against the spec.
 */
import { describe, expect, it } from 'vitest';
import { GsmFrameDecoder, createSubRefHasher, tmsiToString, type GsmEvent } from '@simhound/edge-agent';
import { createRandom } from '../../src/random.js';
import { loadScenarioFile } from '../../src/scenario-file.js';
import { World } from '../../src/world/world.js';
import { ProbeFrameBuilder } from '../../src/world/frames.js';
import type { SimCause } from '../../src/world/air-events.js';
import type { EstablishmentCause } from '@simhound/protocol';
import { fileURLToPath } from 'node:url';

const scenarioPath = fileURLToPath(new URL('../../scenarios/maseru-demo.yaml', import.meta.url));

describe('simulated frames decode to the world that made them', () => {
  it('matches TA, cause, cell and paged identity for 10 simulated minutes', () => {
    const sc = loadScenarioFile(scenarioPath);
    if (!sc.ok) throw new Error(sc.detail);
    const scenario = sc.value;
    const start = Date.UTC(2026, 10, 25, 10); // noon local: busy hour
    const world = new World(scenario, start);
    const builder = new ProbeFrameBuilder(scenario.cells, scenario.probes[0]!, createRandom(1));
    const key = Buffer.alloc(32, 7);
    const subRef = createSubRefHasher(key);
    const decoder = new GsmFrameDecoder({ subRef });
    const events = world.advance(start + 600_000);
    let assignments = 0;
    let pagings = 0;
    // The world's causes in a NECI=1 cell, as table 9.1.8.1 lets a receiver read them.
    const expectedCause: Record<SimCause, EstablishmentCause> = {
      originating_call: 'originating_call',
      other_sdcch: 'other_sdcch',
      location_updating: 'location_updating',
      answer_to_paging: 'answer_to_paging',
      emergency_call: 'emergency_call',
    };
    for (const e of events) {
      const bytes = builder.build(e);
      if (bytes === null) continue;
      const out: GsmEvent[] = [];
      const outcome = decoder.decode(bytes, 0, bytes.length, e.ts_ms, 'sim', (x) => out.push(x));
      expect(outcome).toBe('ok');
      expect(out).toHaveLength(1);
      const d = out[0]!;
      const cell = scenario.cells[e.cell_index]!;
      expect(d.arfcn).toBe(cell.arfcn);
      if (e.kind === 'assignment') {
        assignments++;
        expect(d.type).toBe('Assignment');
        if (d.type !== 'Assignment') continue;
        expect(d.ta_steps).toBe(e.ta_steps);
        // SI3 for each cell comes within the first 2 s, so by the time of an assignment the cell is known.
        if (e.ts_ms > start + 2000) {
          expect(d.cell).toEqual({ mcc: cell.mcc, mnc: cell.mnc, lac: cell.lac, ci: cell.ci });
          expect(d.request.cause).toBe(expectedCause[e.cause]);
        }
      } else if (e.kind === 'paging') {
        pagings++;
        expect(d.type).toBe('Paging');
        if (d.type === 'Paging') expect(d.subs).toEqual([{ kind: 'tmsi', sub_ref: subRef('tmsi', tmsiToString(e.tmsi)) }]);
      } else {
        expect(d.type).toBe('CellInfo');
      }
    }
    expect(assignments).toBeGreaterThan(500);
    expect(pagings).toBeGreaterThan(50);
  });
});
