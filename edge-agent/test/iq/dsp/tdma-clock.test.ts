/**
 * The TDMA clock: anchored by an FCCH, numbered by an SCH, fitted to a receiver clock a few ppm off,
 * resynced after a jump, and timing the uplink 3 timeslots after the downlink.
 */
import { describe, expect, it } from 'vitest';
import { TdmaClock } from '../../../src/iq/dsp/tdma-clock.js';
import { samplesPerFrame } from '../../../src/iq/dsp/gsm-timing.js';

const RATE = 1_000_000;
const SPF = samplesPerFrame(RATE);

describe('TDMA clock', () => {
  it('gives absolute timeslots from an FCCH and frame numbers after an SCH', () => {
    const clock = new TdmaClock(RATE);
    expect(clock.position(0, 'downlink')).toBeNull();
    expect(clock.observeFcch(10_000)).toBe('anchored');
    expect(clock.position(10_000 + 3.5 * (SPF / 8), 'downlink')).toMatchObject({ frame_count: 0, timeslot: 3, fn: null });
    expect(clock.observeSch(10_000 + SPF, 40_001, 17)).toBe('fn_set');
    expect(clock.position(10_000 + 2 * SPF + 1, 'downlink')).toMatchObject({ frame_count: 2, timeslot: 0, fn: 40_002 });
    // Uplink frames start 3 timeslots later: downlink TS3 of a frame is uplink TS0 of the same frame.
    expect(clock.position(10_000 + 2 * SPF + 3 * (SPF / 8) + 1, 'uplink')).toMatchObject({ fn: 40_002, timeslot: 0 });
    expect(clock.bsic).toBe(17);
  });

  it('fits a receiver clock 12 ppm fast from FCCH bursts 10 frames apart', () => {
    const clock = new TdmaClock(RATE);
    const real = SPF * (1 + 12e-6);
    for (let k = 0; k < 8; k++) clock.observeFcch(5_000 + k * 10 * real);
    expect(clock.clockErrorPpm).toBeCloseTo(12, 0);
    // 80 frames later the slot boundaries are still within a symbol.
    const pos = clock.position(5_000 + 80 * real + 0.5, 'downlink')!;
    expect(pos.timeslot).toBe(0);
    expect(pos.slot_fraction).toBeLessThan(0.01);
  });

  it('resyncs when an FCCH lands off the grid (the stream jumped) and flags an FCCH in a wrong frame', () => {
    const clock = new TdmaClock(RATE);
    clock.observeFcch(0);
    expect(clock.observeFcch(10 * SPF + SPF / 2)).toBe('resynced');
    clock.observeSch(SPF, 51 * 100 + 1, 3);
    // FN 5101 + 4 = 5105 ≡ 5 (mod 51): no FCCH there.
    expect(clock.observeFcch(5 * SPF)).toBe('fn_mismatch');
    expect(clock.observeFcch(10 * SPF)).toBe('consistent');
  });
});
