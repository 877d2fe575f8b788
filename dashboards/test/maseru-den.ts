/**
 * Test fixture shared by the web-page tests: a den in Maseru seen from two real cells of the Lesotho
 * tower export (Vodacom and Econet), and the den candidate the edge's fusion publishes for it.
 */
import { distanceM } from '@simhound/geo';
import { TA_STEP_M, type DetectionBody } from '@simhound/protocol';

type Indicators = NonNullable<DetectionBody['evidence']['indicators']>;

export const LESOTHO_CELLS = new URL('../../../shared/data/cells/LesothoCellTowersData.csv', import.meta.url).pathname;
export const DEN = { lat_deg: -29.3262, lon_deg: 27.4905 };
export const VODACOM = { cell: { mcc: '651', mnc: '01', lac: 123, ci: 65302 }, arfcn: 18, position: { lat_deg: -29.31015, lon_deg: 27.491226 } };
export const ECONET = { cell: { mcc: '651', mnc: '02', lac: 11102, ci: 1218 }, arfcn: 72, position: { lat_deg: -29.33955, lon_deg: 27.464989 } };

/** The TA step a cell at `p` measures for the den (with 40 m of multipath). */
export const taAt = (p: { lat_deg: number; lon_deg: number }) => Math.floor((distanceM(p, DEN) + 40) / TA_STEP_M);

/** A den candidate at the den's TA from `site`: held `held_ms` by `end_ts_ms`, 390 accesses above the baseline. */
export function denCandidate(site: typeof VODACOM, end_ts_ms: number, held_ms: number, indicators: Indicators): DetectionBody {
  const ta = taAt(site.position);
  return {
    detector: 'den-candidate', detector_version: 1, cell: site.cell, arfcn: site.arfcn, ta_steps: ta,
    range_min_m: ta * TA_STEP_M, range_max_m: (ta + 1) * TA_STEP_M, score: 0.95, severity: 'high',
    window: { start_ts_ms: end_ts_ms - 3_600_000, end_ts_ms },
    evidence: {
      event_count: 420, baseline_count: 30, p_value: 1e-14, cell_event_count: 1000, active_ta_count: 8, thresholds: {}, fusion_rule: 'A',
      ta_span_steps: 1, horizon_s: 3600, first_seen_ts_ms: end_ts_ms - held_ms, excess_count: 390,
      indicators,
    },
    position: null,
  };
}
