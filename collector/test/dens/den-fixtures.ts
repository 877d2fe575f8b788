/**
 * Den-candidate detections and uplink observations for den tests: real Maseru cells (rows of the
 * Lesotho OpenCelliD export in shared/data), real signed envelopes, a real SQLite store.
 */
import { join } from 'node:path';
import { TA_STEP_M, type CellId, type DetectionBody, type ParsedEnvelope, type UplinkBurstObservation } from '@simhound/protocol';
import { distanceM, type LatLon } from '@simhound/geo';
import { SqliteStore, importCellsCsv, type DetectionRecord } from '../../src/index.js';
import { tempDir, type TestProbe } from '../fixtures.js';

export const LESOTHO_CELLS = new URL('../../../../shared/data/cells/LesothoCellTowersData.csv', import.meta.url).pathname;

// Vodacom (651-01) and Econet (651-02) towers in Maseru.
export const VODACOM = { cell: { mcc: '651', mnc: '01', lac: 123, ci: 65302 }, arfcn: 18, position: { lat_deg: -29.31015, lon_deg: 27.491226 } };
export const ECONET = { cell: { mcc: '651', mnc: '02', lac: 11102, ci: 1218 }, arfcn: 72, position: { lat_deg: -29.33955, lon_deg: 27.464989 } };
export const ECONET_NORTH = { cell: { mcc: '651', mnc: '02', lac: 11102, ci: 5254 }, arfcn: 60, position: { lat_deg: -29.307686, lon_deg: 27.466801 } };
export const DEN = { lat_deg: -29.3262, lon_deg: 27.4905 };

export const taAt = (cellPos: LatLon, p: LatLon = DEN) => Math.floor((distanceM(cellPos, p) + 40) / TA_STEP_M);

export function denCandidate(site: { cell: CellId; arfcn: number }, ta: number, end_ts_ms: number, over: Partial<DetectionBody> = {}): DetectionBody {
  return {
    detector: 'den-candidate',
    detector_version: 1,
    cell: site.cell,
    arfcn: site.arfcn,
    ta_steps: ta,
    range_min_m: ta * TA_STEP_M,
    range_max_m: (ta + 1) * TA_STEP_M,
    score: 0.93,
    severity: 'high',
    window: { start_ts_ms: end_ts_ms - 3_600_000, end_ts_ms },
    evidence: {
      event_count: 400, baseline_count: 20, p_value: 1e-12, cell_event_count: 900, active_ta_count: 9, thresholds: {},
      fusion_rule: 'A', ta_span_steps: 1, horizon_s: 3600, first_seen_ts_ms: end_ts_ms - 1_200_000, excess_count: 380,
      indicators: [{ detector: 'mo-mt-asymmetry', detector_version: 1, p_log10: 12, level: 'strong', horizon_s: 3600, reason: 'few answered pagings', facts: { mt_share: 0.02 } }],
    },
    position: null,
    ...over,
  };
}

export function burst(site: { cell: CellId; arfcn: number }, ta: number, ts_ms: number, rssi_dbm: number, position?: LatLon): UplinkBurstObservation {
  return {
    type: 'uplink_burst', ts_ms, arfcn: site.arfcn, fn: Math.floor(ts_ms / (120 / 26)) % 2715648, ra: 0xe3, rssi_dbm, cell: site.cell, ta_steps: ta,
    ...(position ? { position: { ...position, position_source: 'gps' as const } } : {}),
  };
}

export async function storeWithCells(): Promise<{ store: SqliteStore; remove(): void }> {
  const tmp = tempDir('dens');
  const store = SqliteStore.open(join(tmp.dir, 'c.sqlite'));
  const imported = await importCellsCsv(LESOTHO_CELLS, store);
  if (!imported.ok) throw new Error(imported.reason);
  return { store, remove: tmp.remove };
}

/** Store a signed detection and return it as the store gives it back. */
export async function ingestDetection(store: SqliteStore, probe: TestProbe, body: DetectionBody, ts_ms: number): Promise<DetectionRecord> {
  const env = probe.factory.make('detection', body, ts_ms) as ParsedEnvelope;
  await store.ingest(env, ts_ms);
  return (await store.listDetections({ limit: 1000 })).find((d) => d.id === env.id)!;
}
