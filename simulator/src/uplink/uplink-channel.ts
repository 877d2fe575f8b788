/**
 * The radio channel from a den's modems to a probe's uplink receiver — the ground truth the location
 * engine has to see through. Received level of one access burst:
 *
 *   r = P_tx − L_fs(1 m) − 10·n·log10(d) − building − facade(direction) + shadow(probe spot) + probe offset
 *       + fast fading (Rayleigh, per burst)
 *
 * with free-space loss at 1 m at the uplink frequency, a path-loss exponent n of the area (urban 2.7–3.8),
 * the building's (or basement's) penetration loss, a per-facade extra loss (walls differ by side — the
 * locator does not model this), lognormal shadowing correlated over tens of metres, a per-probe antenna /
 * cable calibration error, and Rayleigh fading. Bursts below the receiver's sensitivity are not heard.
 */
import type { Random } from '../random.js';
import { ShadowingField } from './shadowing-field.js';

export interface UplinkChannelModel {
  /** Access bursts go out at the cell's MS_TXPWR_MAX_CCH: 33 dBm for GSM 900 class 4. */
  tx_power_dbm: number;
  uplink_freq_hz: number;
  exponent: number;
  building_loss_db: number;
  /** Sigma of the per-facade extra loss (four facades), dB. */
  facade_sigma_db: number;
  shadowing_sigma_db: number;
  shadowing_spacing_m: number;
  /** Sigma of each probe's calibration error, dB. */
  probe_offset_sigma_db: number;
  sensitivity_dbm: number;
  /** Nearest a probe can come to the den's antenna (walls, floors), metres. */
  min_distance_m: number;
}

export const UPLINK_CHANNEL_DEFAULTS: UplinkChannelModel = {
  tx_power_dbm: 33,
  uplink_freq_hz: 900e6,
  exponent: 3.2,
  building_loss_db: 10,
  facade_sigma_db: 3,
  shadowing_sigma_db: 6,
  shadowing_spacing_m: 25,
  probe_offset_sigma_db: 2,
  sensitivity_dbm: -118,
  min_distance_m: 3,
};

const C = 299_792_458;

export class UplinkChannel {
  readonly model: UplinkChannelModel;
  private readonly field: ShadowingField;
  private readonly facades: number[];
  private readonly offsets = new Map<string, number>();
  private readonly fsAt1m: number;

  constructor(
    model: Partial<UplinkChannelModel>,
    private readonly rnd: Random,
  ) {
    this.model = { ...UPLINK_CHANNEL_DEFAULTS, ...model };
    this.field = new ShadowingField(Math.floor(rnd.next() * 2 ** 31), this.model.shadowing_sigma_db, this.model.shadowing_spacing_m);
    this.facades = [0, 1, 2, 3].map(() => rnd.normal(0, this.model.facade_sigma_db));
    this.fsAt1m = 20 * Math.log10((4 * Math.PI * this.model.uplink_freq_hz) / C);
  }

  private probeOffset(probe: string): number {
    let v = this.offsets.get(probe);
    if (v === undefined) {
      v = this.rnd.fork(`probe:${probe}`).normal(0, this.model.probe_offset_sigma_db);
      this.offsets.set(probe, v);
    }
    return v;
  }

  /** Mean level (no fast fading) at a probe at plane offset (dx, dy) metres from the den. */
  meanLevelDbm(probe: string, dx: number, dy: number): number {
    const m = this.model;
    const d = Math.max(Math.hypot(dx, dy), m.min_distance_m);
    const facade = this.facades[Math.floor((((Math.atan2(dx, dy) / (2 * Math.PI)) * 4 + 4.5) % 4))]!;
    return m.tx_power_dbm - this.fsAt1m - 10 * m.exponent * Math.log10(d) - m.building_loss_db - facade + this.field.at(dx, dy) + this.probeOffset(probe);
  }

  /** One burst's level (Rayleigh fading on top), or null when below sensitivity. */
  burstLevelDbm(probe: string, dx: number, dy: number, rnd: Random): number | null {
    const fading = 10 * Math.log10(Math.max(1e-6, rnd.exponential(1)));
    const r = this.meanLevelDbm(probe, dx, dy) + fading;
    return r < this.model.sensitivity_dbm ? null : Math.round(r * 10) / 10;
  }
}
