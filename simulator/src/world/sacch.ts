/**
 * The slow associated control channel (SACCH) of every busy SDCCH, as a passive downlink probe can read
 * it: from the moment the BTS activates the channel (before it sends the Immediate Assignment) the BTS
 * fills the channel's SACCH with System Information 5 and 6 in turn (TS 44.018 §3.4.1.1 and §9.1.37/40;
 * the Vodafone DE capture in shared/data shows SI5, then SI6 one SACCH period later), each block with an
 * L1 header ordering the mobile's power and timing advance (TS 44.004 §7.2). SACCH/C8 sub-channel n
 * has one block per 102 frames, at frames 32 + 4·(n mod 4) of the first (n < 4) or second (n ≥ 4)
 * 51-multiframe (TS 45.002 §7 table 4).
 *
 * Once ciphering starts the SACCH is ciphered too (TS 43.020 §4): the network starts transmitting in
 * the new mode when it has received the mobile's first ciphered frame (TS 44.018 §3.4.7.2), so blocks
 * from then on are not emitted. The SACCH stops when the channel is released.
 *
 * It draws no random numbers (the world's behaviour must not depend on whether a probe follows the
 * SDCCH) and must not decide anything about the connection; the access engine tells it the times.
 */
import { K_SACCH, type WorldContext } from './context.js';
import type { CellRuntime } from './cells.js';
import { FN_MODULUS, FRAME_MS, frameStartMs } from './radio.js';

/** MS power level ordered at the start of a connection: 5 = 33 dBm, a GSM 900 class-4 handset's maximum (TS 45.005 §4.1.1). */
export const SACCH_ORDERED_POWER_LEVEL = 5;
const SACCH_PERIOD_FRAMES = 102;

/** First frame of SACCH/C8 sub-channel `subchannel`'s block within the 102-frame cycle (downlink). */
export function sacchPhase(subchannel: number): number {
  return (subchannel < 4 ? 0 : 51) + 32 + 4 * (subchannel % 4);
}

/** Start time of the first SACCH block of `subchannel` at or after `t` on a cell whose frame counter is offset by `offset`. */
export function sacchBlockAtOrAfter(t: number, offset: number, subchannel: number): number {
  const f = Math.ceil(t / FRAME_MS - 1e-6) + offset;
  const r = ((f % SACCH_PERIOD_FRAMES) + SACCH_PERIOD_FRAMES) % SACCH_PERIOD_FRAMES;
  return frameStartMs(f + ((sacchPhase(subchannel) - r + SACCH_PERIOD_FRAMES) % SACCH_PERIOD_FRAMES), offset);
}

interface CellSacch {
  gen: Int32Array;
  clearUntil: Float64Array;
  ta: Uint8Array;
  sub: Int32Array;
  sent: Int32Array;
}

export class SacchScheduler {
  private readonly state: CellSacch[];

  constructor(private readonly ctx: WorldContext) {
    this.state = ctx.cells.map((c) => {
      const n = c.cfg.sdcch;
      return { gen: new Int32Array(n), clearUntil: new Float64Array(n), ta: new Uint8Array(n), sub: new Int32Array(n), sent: new Int32Array(n) };
    });
    ctx.on(K_SACCH, (cell, b, t) => this.block(cell, b, t));
  }

  /** The BTS activated SDCCH `sdcch` of `cell` at `t` for subscriber `sub`, ordering TA `ta_steps`. */
  activate(cell: CellRuntime, sdcch: number, t: number, ta_steps: number, sub: number): void {
    const s = this.state[cell.index]!;
    const gen = (s.gen[sdcch]! + 1) & 0x1ffffff; // (gen << 6 | sdcch) stays a positive int32 on the agenda
    s.gen[sdcch] = gen;
    s.clearUntil[sdcch] = Number.POSITIVE_INFINITY;
    s.ta[sdcch] = ta_steps;
    s.sub[sdcch] = sub;
    s.sent[sdcch] = 0;
    const { subchannel } = cell.sdcchChannel(sdcch);
    this.ctx.queue.push(sacchBlockAtOrAfter(t, cell.fnOffset, subchannel), K_SACCH, cell.index, (gen << 6) | sdcch);
  }

  /** Blocks of the connection now on `sdcch` that start at or after `t` are ciphered. */
  cipheredFrom(cell: CellRuntime, sdcch: number, t: number): void {
    const s = this.state[cell.index]!;
    if (t < s.clearUntil[sdcch]!) s.clearUntil[sdcch] = t;
  }

  private block(cellIndex: number, b: number, t: number): void {
    const cell = this.ctx.cells[cellIndex]!;
    const sdcch = b & 63;
    const s = this.state[cellIndex]!;
    // A newer connection on the channel, ciphering started, or the channel was released: stop.
    if (s.gen[sdcch] !== b >>> 6 || t >= s.clearUntil[sdcch]! || cell.sdcchBusyUntil[sdcch]! <= t) return;
    const { timeslot, subchannel } = cell.sdcchChannel(sdcch);
    const n = s.sent[sdcch]!;
    s.sent[sdcch] = n + 1;
    this.ctx.emit({
      kind: 'sacch',
      ts_ms: t,
      cell_index: cellIndex,
      fn: (Math.round(t / FRAME_MS) + cell.fnOffset) % FN_MODULUS,
      timeslot,
      subchannel,
      si: n % 2 === 0 ? 'si5' : 'si6',
      ta_steps: s.ta[sdcch]!,
      ms_power_level: SACCH_ORDERED_POWER_LEVEL,
      origin: this.ctx.origin(s.sub[sdcch]!),
    });
    this.ctx.queue.push(frameStartMs(Math.round(t / FRAME_MS) + cell.fnOffset + SACCH_PERIOD_FRAMES, cell.fnOffset), K_SACCH, cellIndex, b);
  }
}
