/** Sample message bodies shared by tests of several packages. */
import type { DetectionBody } from '@simhound/protocol';

export const sampleDetection: DetectionBody = {
  detector: 'ccch-burst',
  detector_version: 1,
  cell: { mcc: '262', mnc: '02', lac: 318, ci: 11225 },
  arfcn: 725,
  ta_steps: 3,
  range_min_m: 1660.5,
  range_max_m: 2214,
  score: 0.97,
  severity: 'high',
  window: { start_ts_ms: 1000, end_ts_ms: 61000 },
  evidence: {
    count_by_cause: { originating_call: 40 },
    event_count: 40,
    baseline_count: 2.5,
    p_value: 1e-20,
    cell_event_count: 60,
    active_ta_count: 8,
    thresholds: { p_value: 1e-6 },
  },
  position: { lat_deg: -29.3, lon_deg: 27.5, position_source: 'config' },
};
