/**
 * remote-sim-latency@1 — authentications that take too long at one TA.
 *
 * On a dedicated channel the network sends Authentication Request; the phone's SIM computes SRES and the
 * network's next message (normally Ciphering Mode Command) follows tens to a few hundred ms later. SIM
 * banks move the SIM away from the radio — the gateway relays the challenge over the Internet to a SIM
 * server — so the same gap grows by a network round trip and the bank's own queueing (SigN, ASIA CCS
 * 2025, measured up to 23× a phone's latency on LTE SIM-box appliances). The probe sees this gap on the
 * downlink alone (edge-agent/src/gsm/dedicated-session.ts measures it per session).
 *
 * Test: the share of the slot's round trips above the rest of the cell's 90th percentile, against 10 %
 * (binomial upper tail), with a large effect required (slot median ≥ `min_ratio` × the rest's median and
 * ≥ `min_extra_ms` more). With too few samples on the rest of the cell, an absolute floor stands in.
 *
 * Must not fire on: one slow network moment (it slows the whole cell, so the rest of the cell's
 * percentile rises with it), a handful of sessions (min samples), phones (tens of ms of SIM time).
 */
import { evidenceOf, binomialUpperTail } from './stats.js';
import type { Indicator, SlotDetector, SlotSnapshot } from './types.js';

export interface RemoteSimLatencyConfig {
  min_samples: number;
  min_reference_samples: number;
  min_ratio: number;
  min_extra_ms: number;
  /** Used when the rest of the cell has too few samples: a median above this is remote-SIM-like. */
  absolute_floor_ms: number;
  strong_evidence: number;
  moderate_evidence: number;
}

export const REMOTE_SIM_LATENCY_DEFAULTS: RemoteSimLatencyConfig = {
  min_samples: 5,
  min_reference_samples: 10,
  min_ratio: 2,
  min_extra_ms: 250,
  absolute_floor_ms: 1500,
  strong_evidence: 6,
  moderate_evidence: 3,
};

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export class RemoteSimLatencyDetector implements SlotDetector {
  readonly name = 'remote-sim-latency';
  readonly version = 1;

  constructor(private readonly config: RemoteSimLatencyConfig = REMOTE_SIM_LATENCY_DEFAULTS) {}

  evaluate(s: SlotSnapshot): Indicator | null {
    const c = this.config;
    if (s.auth_rtt_slot.length < c.min_samples) return null;
    const slot = [...s.auth_rtt_slot].sort((a, b) => a - b);
    const median = quantile(slot, 0.5);
    let evidence: number;
    let reference: number;
    if (s.auth_rtt_others.length >= c.min_reference_samples) {
      const others = [...s.auth_rtt_others].sort((a, b) => a - b);
      reference = quantile(others, 0.5);
      const p90 = quantile(others, 0.9);
      if (median < c.min_ratio * reference || median - reference < c.min_extra_ms) return null;
      const above = slot.filter((v) => v > p90).length;
      evidence = evidenceOf(binomialUpperTail(above, slot.length, 0.1));
    } else {
      reference = Number.NaN;
      if (median < c.absolute_floor_ms) return null;
      // Without a reference, each slow sample is weak evidence on its own: count those above the floor.
      const above = slot.filter((v) => v >= c.absolute_floor_ms).length;
      evidence = evidenceOf(binomialUpperTail(above, slot.length, 0.2));
    }
    const level = evidence >= c.strong_evidence ? 'strong' : evidence >= c.moderate_evidence ? 'moderate' : null;
    if (level === null) return null;
    return {
      detector: this.name,
      detector_version: this.version,
      horizon_s: s.horizon_s,
      evidence,
      level,
      facts: { auth_rtt_median_ms: median, auth_rtt_reference_ms: Number.isNaN(reference) ? -1 : reference, auth_samples: slot.length },
      reason: Number.isNaN(reference)
        ? `authentication takes ${median.toFixed(0)} ms (median of ${slot.length}) at this TA`
        : `authentication takes ${median.toFixed(0)} ms at this TA against ${reference.toFixed(0)} ms on the rest of the cell`,
    };
  }
}
