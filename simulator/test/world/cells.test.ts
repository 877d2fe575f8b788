/**
 * The BTS's CCCH ledger and channel pools: CCCH blocks at their 51-multiframe positions, pages in the
 * paging group's block (IMSI mod 1000, TS 45.002 §6.5.2) packed by P1/P2/P3 capacity, assignments in the
 * first free block (Extended when two meet), rejects four to a message, SDCCHs held and freed.
 */
import { describe, expect, it } from 'vitest';
import { CellRuntime, pagesFit } from '../../src/world/cells.js';
import { resolveOperators } from '../../src/world/world.js';
import { CCCH_BLOCK_FIRST_FRAMES, FRAME_MS, frameStartMs } from '../../src/world/radio.js';
import type { AssignmentEntry, PagedIdentity, RejectEntry } from '../../src/world/air-events.js';
import { scenario } from './helpers.js';

function cell(overrides: Record<string, unknown> = {}): CellRuntime {
  const sc = scenario();
  const cfg = { ...sc.cells[0]!, ...overrides };
  return new CellRuntime(0, cfg, 0, resolveOperators(sc)[0]!, 0, 0, 0, 1234);
}

const tmsi = (n: number): PagedIdentity => ({ identity: { type: 'tmsi', tmsi: n }, channel_needed: 'any' });
const imsi = (d: string): PagedIdentity => ({ identity: { type: 'imsi', digits: d }, channel_needed: 'sdcch' });
const entry = (sub: number): AssignmentEntry => ({
  ta_steps: 3, ra: 0x40 + sub, request_fn: 100, channel: { type: 'sdcch8', timeslot: 1, subchannel: sub % 8 }, cause: 'other_sdcch', procedure: 'mo_sms', origin: 'human', sub, attempt: 1,
});

describe('CellRuntime CCCH ledger', () => {
  it('places CCCH blocks on the non-combined 51-multiframe positions', () => {
    const c = cell();
    const t0 = 1_772_000_000_000;
    const b = c.blockAtOrAfter(t0);
    for (let k = 0; k < 30; k++) {
      const f = c.blockStartFrame(b + k);
      expect(CCCH_BLOCK_FIRST_FRAMES).toContain(((f % 51) + 51) % 51);
      expect(c.blockTime(b + k)).toBeCloseTo(frameStartMs(f, 1234), 6);
    }
    expect(c.blockTime(b)).toBeGreaterThanOrEqual(t0 - 1e-3);
    expect(c.blockTime(b) - t0).toBeLessThan(7 * FRAME_MS);
    // A block's own start maps to itself.
    expect(c.blockAtOrAfter(c.blockTime(b + 5))).toBe(b + 5);
  });

  it('pages a mobile in its paging group block and packs up to the P1/P2/P3 capacity', () => {
    const c = cell({ bs_ag_blks_res: 1, bs_pa_mfrms: 4 });
    expect(c.pagingGroups).toBe(8 * 4);
    const opened: number[] = [];
    const t0 = 1_772_000_000_000;
    const mod = 517; // IMSI mod 1000
    const g = mod % 32;
    const blocks = [1, 2, 3, 4, 5].map((n) => c.placePage(t0, mod, tmsi(n), (b) => opened.push(b.block)));
    // Four TMSIs share one block (P3), the fifth goes to the group's next occurrence, 4 multiframes on.
    expect(new Set(blocks.slice(0, 4).map((b) => b.block)).size).toBe(1);
    expect(blocks[4]!.block - blocks[0]!.block).toBe(4 * 9);
    const b0 = blocks[0]!.block;
    expect(b0 % 9).toBe(1 + (g % 8));
    expect(Math.floor(b0 / 9) % 4).toBe(Math.floor(g / 8));
    expect(opened).toHaveLength(2);
    expect(blocks[0]!.content.kind === 'page' && blocks[0]!.content.pages.length).toBe(4);
  });

  it('knows what fits: two identities with at most one IMSI (P1), two TMSIs and one more (P2), four TMSIs (P3)', () => {
    expect(pagesFit([tmsi(1)], imsi('651011234567890'))).toBe(true);
    expect(pagesFit([imsi('651011234567890')], imsi('651011234567891'))).toBe(false);
    expect(pagesFit([tmsi(1), tmsi(2)], imsi('651011234567890'))).toBe(true);
    expect(pagesFit([tmsi(1), imsi('651011234567890')], imsi('651011234567891'))).toBe(false);
    expect(pagesFit([tmsi(1), tmsi(2), tmsi(3)], tmsi(4))).toBe(true);
    expect(pagesFit([tmsi(1), tmsi(2), imsi('651011234567890')], tmsi(4))).toBe(false);
    expect(pagesFit([tmsi(1), tmsi(2), tmsi(3), tmsi(4)], tmsi(5))).toBe(false);
  });

  it('puts assignments in the first free block, two dedicated ones together (Extended), skipping paging blocks in use', () => {
    const c = cell({ bs_ag_blks_res: 1 });
    const t0 = 1_772_000_000_000;
    const a = c.placeAssignment(t0, entry(1), false, () => {})!;
    const b = c.placeAssignment(t0, entry(2), false, () => {})!;
    expect(b).toBe(a);
    expect(a.content.kind === 'ia' && a.content.entries.length).toBe(2);
    const third = c.placeAssignment(t0, entry(3), false, () => {})!;
    expect(third.block).toBe(a.block + 1);
    const repeat = c.placeAssignment(t0, entry(4), true, () => {})!;
    expect(repeat.block).toBeGreaterThan(third.block - 1);
    expect(repeat.content.kind === 'ia' && repeat.content.repeat).toBe(true);
  });

  it('packs up to four rejects per Immediate Assignment Reject', () => {
    const c = cell();
    const t0 = 1_772_000_000_000;
    const rej = (sub: number): RejectEntry => ({ ra: sub, request_fn: 5, wait_s: 10, cause: 'location_updating', procedure: 'lu_normal', origin: 'human', sub });
    const blocks = [0, 1, 2, 3, 4].map((s) => c.placeReject(t0, rej(s), () => {})!);
    expect(new Set(blocks.slice(0, 4).map((b) => b.block)).size).toBe(1);
    expect(blocks[4]!.block).not.toBe(blocks[0]!.block);
  });

  it('holds SDCCHs until released and reports none free when all are busy', () => {
    const c = cell({ sdcch: 3 });
    const t = 1000;
    expect([c.allocateSdcch(t), c.allocateSdcch(t), c.allocateSdcch(t)]).toEqual([0, 1, 2]);
    expect(c.allocateSdcch(t)).toBe(-1);
    c.releaseSdcch(1, t + 500);
    expect(c.allocateSdcch(t + 100)).toBe(-1);
    expect(c.allocateSdcch(t + 500)).toBe(1);
    expect(c.sdcchChannel(9)).toEqual({ timeslot: 2, subchannel: 1 });
  });

  it('raises the RACH collision chance with the access load', () => {
    const c = cell();
    const quiet = c.rachCollisionProbability(0);
    let busy = 0;
    for (let i = 0; i < 400; i++) busy = c.rachCollisionProbability(10_000 + i * 2.5); // 400 bursts/s
    expect(quiet).toBeLessThan(0.01);
    expect(busy).toBeGreaterThan(0.5);
  });
});
