/**
 * Synthetic event streams for engine tests: people spread over TA steps (gamma-modulated Poisson, so
 * over-dispersed, with MO calls, SMS, answered pagings and location updates in human proportions), a den
 * dialling from one TA, a call centre. Not a world model — the simulator is — just enough traffic to
 * exercise the engine's plumbing with known answers.
 */
import type { EstablishmentCause } from '@simhound/protocol';
import { assignment, seededRandom } from '@simhound/test-support/events';
import type { CellId, GsmEvent } from '../../src/gsm/events.js';

export interface Stream {
  events: GsmEvent[];
}

let rfn = 0;
function access(ts: number, ta: number, cause: EstablishmentCause, cell: CellId, arfcn: number): GsmEvent {
  rfn = (rfn + 1) % 42432;
  return assignment(Math.round(ts), ta, cause, { cell, arfcn, request_rfn: rfn, ra: (rfn * 7) & 0xff });
}

function exp(rnd: () => number, rate: number): number {
  return -Math.log(1 - rnd()) / rate;
}

/** People at TAs 0..maxTa, `perTaPerMin` accesses per minute per TA on average. */
export function people(seed: number, cell: CellId, arfcn: number, start: number, minutes: number, perTaPerMin: number, maxTa = 10): GsmEvent[] {
  const rnd = seededRandom(seed);
  const out: GsmEvent[] = [];
  const mix: Array<[EstablishmentCause, number]> = [['originating_call', 0.3], ['other_sdcch', 0.35], ['answer_to_paging', 0.25], ['location_updating', 0.1]];
  for (let ta = 0; ta <= maxTa; ta++) {
    for (let m = 0; m < minutes; m += 5) {
      // Gamma(2)-like modulation of each 5-min rate: people come and go.
      const mod = (-Math.log(1 - rnd()) - Math.log(1 - rnd())) / 2;
      const rate = (perTaPerMin * mod) / 60_000;
      let t = start + m * 60_000 + exp(rnd, rate);
      while (t < start + (m + 5) * 60_000) {
        let u = rnd();
        let cause: EstablishmentCause = 'originating_call';
        for (const [c, p] of mix) {
          if (u < p) {
            cause = c;
            break;
          }
          u -= p;
        }
        out.push(access(t, ta, cause, cell, arfcn));
        t += exp(rnd, rate);
      }
    }
  }
  return out;
}

/** `ports` ports each dialling every `intervalS` (± 10 %), calls and SMS, from one TA. */
export function den(seed: number, cell: CellId, arfcn: number, ta: number, start: number, minutes: number, ports: number, intervalS: number): GsmEvent[] {
  const rnd = seededRandom(seed);
  const out: GsmEvent[] = [];
  for (let p = 0; p < ports; p++) {
    let t = start + rnd() * intervalS * 1000;
    while (t < start + minutes * 60_000) {
      out.push(access(t, ta, rnd() < 0.6 ? 'originating_call' : 'other_sdcch', cell, arfcn));
      t += intervalS * 1000 * (0.9 + 0.2 * rnd());
    }
  }
  return out;
}

/** Human agents at one TA: outbound calls and inbound (answered pagings) in equal measure. */
export function callCentre(seed: number, cell: CellId, arfcn: number, ta: number, start: number, minutes: number, agents: number): GsmEvent[] {
  const rnd = seededRandom(seed);
  const out: GsmEvent[] = [];
  for (let a = 0; a < agents; a++) {
    let t = start + rnd() * 300_000;
    while (t < start + minutes * 60_000) {
      out.push(access(t, ta, rnd() < 0.5 ? 'originating_call' : 'answer_to_paging', cell, arfcn));
      // Talk (lognormal, median 3 min) + wrap-up (30–90 s).
      t += Math.exp(Math.log(180_000) + 0.8 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())) + 30_000 + rnd() * 60_000;
    }
  }
  return out;
}

export function merge(...streams: GsmEvent[][]): GsmEvent[] {
  return streams.flat().sort((a, b) => a.ts_ms - b.ts_ms);
}
