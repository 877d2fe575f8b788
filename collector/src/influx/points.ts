/**
 * Accepted messages → InfluxDB points. Measurement names are fixed here; tag and field names are the
 * field vocabulary's names, and whether a value is a tag or a field comes from its `influx` hint
 * (FIELD_VOCABULARY[name].influx), so a Grafana query, a JSON message and a dashboard column share one
 * name. Values without a hint are not written.
 *
 * Every numeric field is written as a float: InfluxDB rejects a point whose field type differs from
 * earlier points of the same series, and a count like `baseline_count` can be fractional.
 * Must not do I/O (writer.ts does).
 */
import { Point } from '@influxdata/influxdb-client';
import { FIELD_VOCABULARY, type ParsedEnvelope } from '@simhound/protocol';

export const INFLUX_MEASUREMENTS = {
  detection: 'detection',
  windowAssignment: 'window_assignment',
  windowPaging: 'window_paging',
  probeStatus: 'probe_status',
  observation: 'observation',
  sourceStatus: 'source_status',
} as const;

type Scalar = string | number | boolean | null | undefined;

/** A point with each value placed as tag or field by the vocabulary; unknown or unhinted names are skipped. */
export function vocabularyPoint(measurement: string, values: Record<string, Scalar>, ts_ms: number): Point {
  const point = new Point(measurement).timestamp(ts_ms);
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    const hint = FIELD_VOCABULARY[name]?.influx;
    if (hint === 'tag') point.tag(name, String(value));
    else if (hint === 'field') {
      if (typeof value === 'number') point.floatField(name, value);
      else if (typeof value === 'boolean') point.booleanField(name, value);
      else point.stringField(name, value);
    }
  }
  return point;
}

type CellValues = { mcc?: string; mnc?: string; lac?: number; ci?: number };
const cellValues = (cell: { mcc: string; mnc: string; lac: number; ci: number } | null): CellValues => (cell === null ? {} : { ...cell });

export function envelopePoints(env: ParsedEnvelope): Point[] {
  const who = { site: env.site, probe: env.probe };
  switch (env.kind) {
    case 'detection': {
      const b = env.body;
      const { count_by_cause: _counts, count_by_class: _classes, thresholds: _thresholds, indicators: _indicators, ...evidenceNumbers } = b.evidence;
      return [
        vocabularyPoint(
          INFLUX_MEASUREMENTS.detection,
          {
            ...who, detector: b.detector, detector_version: b.detector_version, severity: b.severity,
            ...cellValues(b.cell), arfcn: b.arfcn, ta_steps: b.ta_steps,
            score: b.score, range_min_m: b.range_min_m, range_max_m: b.range_max_m,
            ...evidenceNumbers,
          },
          env.ts_ms,
        ),
      ];
    }
    case 'window': {
      const b = env.body;
      const t = b.window.start_ts_ms;
      return [
        ...b.assignments.map((row) =>
          vocabularyPoint(INFLUX_MEASUREMENTS.windowAssignment, { ...who, ...cellValues(row.cell), arfcn: row.arfcn, ta_steps: row.ta_steps, cause: row.cause, event_count: row.event_count }, t),
        ),
        ...b.pagings.map((row) =>
          vocabularyPoint(INFLUX_MEASUREMENTS.windowPaging, { ...who, ...cellValues(row.cell), arfcn: row.arfcn, event_count: row.event_count, distinct_subs: row.distinct_subs }, t),
        ),
      ];
    }
    case 'observation': {
      // Numbers and tags of each item by the vocabulary's hints (rssi_dbm, bearing_deg, type, arfcn …).
      return env.body.observations.map((o) => {
        const { position, ...rest } = o as Record<string, unknown> & { position?: { lat_deg: number; lon_deg: number } };
        const scalars: Record<string, Scalar> = {};
        for (const [k, v] of Object.entries(rest)) if (typeof v !== 'object') scalars[k] = v as Scalar;
        return vocabularyPoint(INFLUX_MEASUREMENTS.observation, { ...who, ...scalars }, o.ts_ms);
      });
    }
    case 'status': {
      const b = env.body;
      return [
        vocabularyPoint(INFLUX_MEASUREMENTS.probeStatus, { ...who, state: b.state, uptime_s: b.uptime_s, outbox_depth: b.outbox_depth, detections_total: b.detections_total }, env.ts_ms),
        ...b.sources.map((s) =>
          vocabularyPoint(
            INFLUX_MEASUREMENTS.sourceStatus,
            { ...who, source_name: s.source_name, source_kind: s.source_kind, state: s.state, frames_total: s.frames_total, events_total: s.events_total, rejected_total: s.rejected_total },
            env.ts_ms,
          ),
        ),
      ];
    }
  }
}
