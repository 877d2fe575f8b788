/**
 * Uplink-burst observations of one den at several probes: for every access the den makes (a CHANNEL
 * REQUEST on the serving cell's RACH, identified by its RA byte and the TDMA frame it was sent in), each
 * probe listening on that uplink ARFCN hears the burst at the level the channel gives for where the probe
 * stands at that moment, and reports `{type: 'uplink_burst', ts_ms, arfcn, fn, ra, rssi_dbm, position?}`.
 * The (RA, FN) pair is what lets the edge tie the burst to the Immediate Assignment — and so to the den's
 * (cell, TA) — without decoding the uplink; when `tie` is set the observation carries that (cell, TA)
 * as an edge that did the tying would publish it.
 *
 * Inputs are the den's position, the probes' positions or routes, and the den's access times; it knows
 * nothing about how the world scheduled them.
 */
import type { CellId, UplinkBurstObservation } from '@simhound/protocol';
import { LocalProjection, type LatLon } from '@simhound/geo';
import type { Random } from '../random.js';
import { UplinkChannel, type UplinkChannelModel } from './uplink-channel.js';

export interface DenAccess {
  ts_ms: number;
  /** TDMA frame number of the CHANNEL REQUEST. */
  fn: number;
  ra: number;
  /** The serving cell's BCCH ARFCN (the RACH is on its uplink). */
  arfcn: number;
  cell: CellId | null;
  ta_steps: number | null;
}

export interface UplinkProbe {
  /** `site/probe`. */
  id: string;
  /** Where the probe is at a time (fixed: a constant). */
  positionAt(ts_ms: number): LatLon;
  moving: boolean;
  /** Uplink ARFCNs its receiver covers; default all. */
  arfcns?: readonly number[];
}

export interface UplinkBurstOptions {
  channel?: Partial<UplinkChannelModel>;
  /** Attach the access's (cell, TA) as an edge that tied RA+FN to the Immediate Assignment would. */
  tie?: boolean;
}

export class DenUplinkGenerator {
  readonly channel: UplinkChannel;
  private readonly proj: LocalProjection;

  constructor(
    readonly den: LatLon,
    private readonly rnd: Random,
    private readonly options: UplinkBurstOptions = {},
  ) {
    this.channel = new UplinkChannel(options.channel ?? {}, rnd.fork('channel'));
    this.proj = new LocalProjection(den);
  }

  /** What one probe hears of one access (null: not on its ARFCNs, or below sensitivity). */
  hear(probe: UplinkProbe, access: DenAccess): UplinkBurstObservation | null {
    if (probe.arfcns !== undefined && !probe.arfcns.includes(access.arfcn)) return null;
    const where = probe.positionAt(access.ts_ms);
    const { x, y } = this.proj.toXY(where);
    const rssi = this.channel.burstLevelDbm(probe.id, x, y, this.rnd);
    if (rssi === null) return null;
    return {
      type: 'uplink_burst',
      ts_ms: Math.round(access.ts_ms),
      arfcn: access.arfcn,
      fn: access.fn,
      timeslot: 0,
      ra: access.ra,
      rssi_dbm: rssi,
      ...(this.options.tie && access.cell !== null ? { cell: access.cell } : {}),
      ...(this.options.tie && access.ta_steps !== null ? { ta_steps: access.ta_steps } : {}),
      ...(probe.moving ? { position: { lat_deg: where.lat_deg, lon_deg: where.lon_deg, position_source: 'simulated' as const } } : {}),
    };
  }

  /** Every probe's observations of a list of accesses, per probe id, in time order. */
  generate(probes: readonly UplinkProbe[], accesses: readonly DenAccess[]): Map<string, UplinkBurstObservation[]> {
    const out = new Map<string, UplinkBurstObservation[]>(probes.map((p) => [p.id, []]));
    const sorted = [...accesses].sort((a, b) => a.ts_ms - b.ts_ms);
    for (const a of sorted) {
      for (const p of probes) {
        const o = this.hear(p, a);
        if (o !== null) out.get(p.id)!.push(o);
      }
    }
    return out;
  }
}

/** A probe that stands still. */
export function fixedProbe(id: string, position: LatLon, arfcns?: readonly number[]): UplinkProbe {
  return { id, positionAt: () => position, moving: false, ...(arfcns ? { arfcns } : {}) };
}
