/**
 * The rotator kit through johnny-five on mock-firmata: the servo steps through the sweep with the
 * configured dwell, a synthetic emitter answers with the level the antenna would see at the servo's
 * current angle (read back from the pin writes), and the bearing comes out within 5° with the probe
 * position; the LEDs show searching (blinking) during the sweep and ok / den-near after; the buzzer
 * ticks faster as the uplink level rises.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Firmata } from 'mock-firmata';
import { checkBody, type Position } from '@simhound/protocol';
import { seededRandom } from '@simhound/test-support/random';
import { DEFAULT_ROTATOR_PINS, RotatorKit, angleDiff } from '../../src/index.js';
import { gaussian, yagiGainDb } from './synthetic-antenna.js';

type Call = { t: number; method: string; pin: number; value: number };
/** LEDs on PWM pins are written with analogWrite (0–255), the others with digitalWrite (0/1). */
const isPinWrite = (c: Call) => c.method === 'digitalWrite' || c.method === 'analogWrite';
const pinLevel = (c: Call) => (c.value > 0 ? 1 : 0);

function recordingIo(): { io: Firmata; calls: Call[] } {
  const io = new Firmata();
  const calls: Call[] = [];
  for (const method of ['servoWrite', 'digitalWrite', 'analogWrite', 'pinMode']) {
    const original = (io[method] as (...a: unknown[]) => unknown).bind(io);
    io[method] = (pin: number, value: number) => {
      calls.push({ t: performance.now(), method, pin, value });
      return original(pin, value);
    };
  }
  return { io, calls };
}

async function connected(kit: RotatorKit, io: Firmata): Promise<void> {
  const ready = kit.connect();
  while (io.listenerCount('ready') === 0) await new Promise((r) => setTimeout(r, 5));
  io.emit('connect');
  io.emit('ready');
  await ready;
}

const POSITION: Position = { lat_deg: -29.315, lon_deg: 27.486, position_source: 'gps', accuracy_m: 5 };
/** johnny-five's default servo pulse range: 600–2400 µs over 0–180°. */
const servoDegrees = (us: number) => (us - 600) / 10;

describe('rotator kit on mock-firmata', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()!();
  });

  it('sweeps, recovers the bearing of a synthetic emitter within 5°, and shows the state on the LEDs', async () => {
    const { io, calls } = recordingIo();
    const kit = new RotatorKit({ io, step_deg: 10, settle_ms: 10, dwell_ms: 40, beamwidth_deg: 90, heading_offset_deg: 0, position: () => POSITION });
    await connected(kit, io);
    cleanup.push(() => kit.stop());
    const rnd = seededRandom(99);
    const truth = 237.5;
    let servoUs = 600;
    const feeder = setInterval(() => {
      const last = [...calls].reverse().find((c) => c.method === 'servoWrite');
      if (last) servoUs = last.value;
      const azimuth = servoDegrees(servoUs) * 2;
      kit.feedLevel(-70 + yagiGainDb(angleDiff(azimuth, truth)) + 1 * gaussian(rnd));
    }, 3);
    const started = performance.now();
    const result = await kit.sweep();
    clearInterval(feeder);
    if (!result.ok) throw new Error(result.reason);
    expect(Math.abs(angleDiff(result.value.bearing_deg, truth))).toBeLessThan(5);
    expect(result.value).toMatchObject({ type: 'bearing', position: POSITION });
    expect(result.value.front_to_back_db).toBeGreaterThan(10);
    expect(checkBody('observation', { observations: [result.value] }).ok).toBe(true);
    // Servo: 36 steps of 5° (10° of azimuth through the 2:1 gearing; the servo already rests at 0°,
    // which johnny-five does not rewrite), then home.
    const servo = calls.filter((c) => c.method === 'servoWrite' && c.t >= started && c.pin === DEFAULT_ROTATOR_PINS.servo);
    const angles = servo.map((c) => servoDegrees(c.value));
    expect(angles).toEqual([...Array.from({ length: 35 }, (_, i) => (i + 1) * 5), 0]);
    const gaps = servo.slice(1, 35).map((c, i) => c.t - servo[i]!.t).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(39);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(80);
    // LEDs: the searching LED blinked during the sweep; afterwards the ok LED is on and the others off.
    const during = calls.filter((c) => isPinWrite(c) && c.pin === DEFAULT_ROTATOR_PINS.led_searching && c.t >= started && c.t <= servo[servo.length - 1]!.t);
    expect(during.filter((c) => pinLevel(c) === 1).length).toBeGreaterThanOrEqual(2);
    expect(during.filter((c) => pinLevel(c) === 0).length).toBeGreaterThanOrEqual(2);
    const lastWrite = (pin: number) => {
      const c = [...calls].reverse().find((x) => isPinWrite(x) && x.pin === pin);
      return c === undefined ? undefined : pinLevel(c);
    };
    expect(kit.state).toBe('ok');
    expect(lastWrite(DEFAULT_ROTATOR_PINS.led_ok)).toBe(1);
    expect(lastWrite(DEFAULT_ROTATOR_PINS.led_searching)).toBe(0);
    expect(lastWrite(DEFAULT_ROTATOR_PINS.led_near)).toBe(0);
    // A strong uplink level lights the den-near LED.
    kit.feedLevel(-35);
    expect(kit.state).toBe('den_near');
    expect(lastWrite(DEFAULT_ROTATOR_PINS.led_near)).toBe(1);
    expect(lastWrite(DEFAULT_ROTATOR_PINS.led_ok)).toBe(0);
  });

  it('ticks the buzzer faster as the uplink level rises, and stays silent with no signal', async () => {
    const { io, calls } = recordingIo();
    const kit = new RotatorKit({ io, position: () => POSITION });
    await connected(kit, io);
    cleanup.push(() => kit.stop());
    const ticksOver = async (level: number | null, ms: number) => {
      if (level !== null) kit.feedLevel(level);
      await new Promise((r) => setTimeout(r, 250)); // let the previous interval run out
      const from = performance.now();
      await new Promise((r) => setTimeout(r, ms));
      return calls.filter((c) => isPinWrite(c) && c.pin === DEFAULT_ROTATOR_PINS.buzzer && pinLevel(c) === 1 && c.t >= from).length;
    };
    const silent = await ticksOver(null, 600);
    const far = await ticksOver(-85, 1200);
    const mid = await ticksOver(-62, 1200);
    const near = await ticksOver(-40, 1200);
    expect(silent).toBe(0);
    expect(far).toBeLessThanOrEqual(2);
    expect(mid).toBeGreaterThan(far);
    expect(near).toBeGreaterThan(mid);
    expect(near).toBeGreaterThanOrEqual(12);
  });

  it('refuses to emit a bearing without a position or without signal', async () => {
    const { io } = recordingIo();
    const kit = new RotatorKit({ io, step_deg: 30, settle_ms: 2, dwell_ms: 6, position: () => null });
    await connected(kit, io);
    cleanup.push(() => kit.stop());
    expect(await kit.sweep()).toMatchObject({ ok: false, reason: 'too_few_samples' });
    const feeder = setInterval(() => kit.feedLevel(-80), 1);
    const r = await kit.sweep();
    clearInterval(feeder);
    expect(r).toMatchObject({ ok: false, reason: 'flat_pattern' });
    expect(kit.stats.failures).toEqual({ too_few_samples: 1, flat_pattern: 1 });
  });
});
