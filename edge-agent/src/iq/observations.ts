/**
 * SDR events → observation items of the contract (protocol/src/schemas/observation.ts): channel_power,
 * slot_occupancy, band_scan, uplink_burst; tdma_sync stays local. Adds the probe's position where the
 * schema has one and drops the edge-only fields (burst kind). Uplink bursts can be hundreds a second
 * on a busy carrier, so they pass a filter: access bursts only (the Immediate Assignment tie-in) or
 * all, and at most `max_per_s`, the rest counted as suppressed.
 *
 * It must not publish: the agent's observation batcher does.
 */
import type { Observation, Position } from '@simhound/protocol';
import type { IqEvent } from './events.js';

export interface UplinkBurstFilter {
  emit: 'access' | 'all' | 'none';
  max_per_s: number;
}

export class IqObservationMapper {
  private windowStart = 0;
  private inWindow = 0;
  suppressed = 0;

  constructor(private readonly filter: UplinkBurstFilter, private readonly position: () => Position | null) {}

  /** The observation for an event, or null when it is not published (or filtered out). */
  map(e: IqEvent): Observation | null {
    const pos = this.position();
    const where = pos === null ? {} : { position: pos };
    switch (e.type) {
      case 'channel_power': {
        const { noise_floor_dbm, ...rest } = e;
        return { ...rest, ...(noise_floor_dbm === null ? {} : { noise_floor_dbm }), ...where };
      }
      case 'slot_occupancy':
        return { ...e, ...where };
      case 'band_scan': {
        const { noise_floor_dbm, ...rest } = e;
        return { ...rest, band: rest.band as 'GSM850' | 'GSM900' | 'DCS1800' | 'PCS1900', ...(noise_floor_dbm === null ? {} : { noise_floor_dbm }), ...where };
      }
      case 'uplink_burst': {
        if (this.filter.emit === 'none' || (this.filter.emit === 'access' && e.burst_kind !== 'access')) return null;
        const second = Math.floor(e.ts_ms / 1000);
        if (second !== this.windowStart) {
          this.windowStart = second;
          this.inWindow = 0;
        }
        if (++this.inWindow > this.filter.max_per_s) {
          this.suppressed++;
          return null;
        }
        const { burst_kind: _kind, sample: _sample, ...rest } = e;
        return { ...rest, ...where };
      }
      case 'tdma_sync':
        return null;
    }
  }
}
