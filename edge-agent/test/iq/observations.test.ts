/**
 * SDR events → contract observations: published fields only, position added, uplink bursts filtered
 * (access only by default) and capped per second, every produced item valid against the schema.
 */
import { describe, expect, it } from 'vitest';
import { checkBody } from '@simhound/protocol';
import { IqObservationMapper } from '../../src/iq/observations.js';
import type { IqEvent } from '../../src/iq/events.js';

const where = { lat_deg: 1, lon_deg: 2, position_source: 'gps' as const };
const burst = (ts: number, kind: 'normal' | 'access'): IqEvent => ({ type: 'uplink_burst', ts_ms: ts, arfcn: 62, rssi_dbm: -70, burst_kind: kind, sample: ts * 1000, fn: 1000, timeslot: 3 });

describe('IQ observation mapping', () => {
  it('maps channel power, slot occupancy and band scan, dropping a null noise floor, adding the position', () => {
    const m = new IqObservationMapper({ emit: 'access', max_per_s: 10 }, () => where);
    const power = m.map({ type: 'channel_power', ts_ms: 5, window_s: 1, arfcn: 30, link: 'downlink', freq_hz: 941e6, rssi_dbm: -60, peak_rssi_dbm: -55, noise_floor_dbm: null, busy_share: 1, bsic: 32 });
    expect(power).toEqual({ type: 'channel_power', ts_ms: 5, window_s: 1, arfcn: 30, link: 'downlink', freq_hz: 941e6, rssi_dbm: -60, peak_rssi_dbm: -55, busy_share: 1, bsic: 32, position: where });
    const scan = m.map({ type: 'band_scan', ts_ms: 5, window_s: 3, band: 'GSM900', link: 'downlink', noise_floor_dbm: -100, scanned_count: 174, channels: [] });
    for (const o of [power, scan]) expect(checkBody('observation', { observations: [o] }).ok).toBe(true);
    expect(m.map({ type: 'tdma_sync', ts_ms: 1, arfcn: 30, source: 'sch', sample: 1, freq_offset_hz: 0 })).toBeNull();
  });

  it('passes access bursts only by default, drops the edge-only fields, and caps the rate', () => {
    const m = new IqObservationMapper({ emit: 'access', max_per_s: 3 }, () => null);
    expect(m.map(burst(1_000, 'normal'))).toBeNull();
    const first = m.map(burst(1_000, 'access'));
    expect(first).toEqual({ type: 'uplink_burst', ts_ms: 1_000, arfcn: 62, rssi_dbm: -70, fn: 1000, timeslot: 3 });
    expect(checkBody('observation', { observations: [first] }).ok).toBe(true);
    const kept = [1_001, 1_002, 1_003, 1_004].map((t) => m.map(burst(t, 'access'))).filter((o) => o !== null);
    expect(kept).toHaveLength(2);
    expect(m.suppressed).toBe(2);
    expect(m.map(burst(2_000, 'access'))).not.toBeNull(); // a new second
    const all = new IqObservationMapper({ emit: 'all', max_per_s: 10 }, () => null);
    expect(all.map(burst(1, 'normal'))).not.toBeNull();
    expect(new IqObservationMapper({ emit: 'none', max_per_s: 10 }, () => null).map(burst(1, 'access'))).toBeNull();
  });
});
