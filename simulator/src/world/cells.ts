/**
 * One BTS as the world runs it: where it is, which location area and operator it belongs to, its
 * frame clock (cells are not synchronised), and the scarce resources whose exhaustion is visible on the
 * air — the CCCH blocks (AGCH and paging share nine blocks per 51-multiframe, TS 45.002 §6.3 and §6.5),
 * the SDCCH subchannels and the traffic channels.
 *
 * The CCCH ledger decides in which block each Immediate Assignment (Extended), Reject and Paging
 * Request goes: assignments take the first free block (reserved AGCH blocks, or paging blocks nobody
 * is paged in), pages go in the paging block of the mobile's paging group and are packed two to four
 * per message (P1/P2/P3); a full block pushes a page to the group's next occurrence.
 *
 * It must not decide who accesses or when; the access engine asks, the ledger answers with times.
 */
import type { SimCell, SimOperator } from '../scenario.js';
import type { AssignmentEntry, PagedIdentity, RejectEntry } from './air-events.js';
import { CCCH_BLOCK_FIRST_FRAMES, FRAME_MS, frameStartMs } from './radio.js';

/** Longest an assignment may wait for a CCCH block before the BSC gives up on the request. */
export const AGCH_MAX_DELAY_MS = 2000;

export type CcchBlockContent =
  | { kind: 'ia'; entries: AssignmentEntry[]; repeat: boolean }
  | { kind: 'iar'; entries: RejectEntry[] }
  | { kind: 'page'; pages: PagedIdentity[] };

export interface CcchBlock {
  /** Absolute block number (multiframe × 9 + block index). */
  readonly block: number;
  readonly ts_ms: number;
  readonly fn: number;
  content: CcchBlockContent;
}

export class CellRuntime {
  readonly plmn: string;
  readonly agchReserved: number;
  readonly pagingBlocksPerMf: number;
  readonly pagingGroups: number;
  /** Future CCCH blocks that carry something, by absolute block number. */
  readonly ledger = new Map<number, CcchBlock>();
  /** The last ledger block transmitted (so the NCH does not reuse a block an assignment just took). */
  lastCcchBlockSent = -1;
  readonly sdcchBusyUntil: Float64Array;
  tchBusy = 0;
  private rachLoad = 0;
  private rachLoadAt = 0;

  constructor(
    readonly index: number,
    readonly cfg: SimCell,
    readonly opIndex: number,
    readonly op: SimOperator,
    readonly laIndex: number,
    readonly x: number,
    readonly y: number,
    /** Frame-counter offset of this BTS (frames). */
    readonly fnOffset: number,
  ) {
    this.plmn = `${cfg.mcc}${cfg.mnc}`;
    this.agchReserved = Math.min(cfg.bs_ag_blks_res, 7);
    this.pagingBlocksPerMf = 9 - this.agchReserved;
    this.pagingGroups = this.pagingBlocksPerMf * cfg.bs_pa_mfrms;
    this.sdcchBusyUntil = new Float64Array(cfg.sdcch);
  }

  /** Absolute number of the first CCCH block starting at or after `ts_ms`. */
  blockAtOrAfter(ts_ms: number): number {
    // First frame starting at or after ts_ms (the tolerance keeps a block's own start time inside it).
    const f = Math.ceil(ts_ms / FRAME_MS - 1e-6) + this.fnOffset;
    const mf = Math.floor(f / 51);
    const r = f - mf * 51;
    for (let j = 0; j < 9; j++) if (CCCH_BLOCK_FIRST_FRAMES[j]! >= r) return mf * 9 + j;
    return (mf + 1) * 9;
  }

  blockStartFrame(block: number): number {
    const mf = Math.floor(block / 9);
    return mf * 51 + CCCH_BLOCK_FIRST_FRAMES[block - mf * 9]!;
  }

  blockTime(block: number): number {
    return frameStartMs(this.blockStartFrame(block), this.fnOffset);
  }

  isAgchReserved(block: number): boolean {
    return block % 9 < this.agchReserved;
  }

  /**
   * Puts an assignment in the first CCCH block at or after `ts_ms` that can carry it. Returns the block,
   * or null when the AGCH is congested beyond AGCH_MAX_DELAY_MS. `newBlock` is called for a block the
   * ledger did not hold yet (the world schedules its transmission).
   */
  placeAssignment(ts_ms: number, entry: AssignmentEntry, repeat: boolean, newBlock: (b: CcchBlock) => void): CcchBlock | null {
    const canExtend = this.op.ia_extended && entry.channel.type === 'sdcch8' && !repeat;
    for (let b = this.blockAtOrAfter(ts_ms); ; b++) {
      const t = this.blockTime(b);
      if (t - ts_ms > AGCH_MAX_DELAY_MS) return null;
      const used = this.ledger.get(b);
      if (used === undefined) {
        const blk: CcchBlock = { block: b, ts_ms: t, fn: 0, content: { kind: 'ia', entries: [entry], repeat } };
        this.ledger.set(b, blk);
        newBlock(blk);
        return blk;
      }
      const c = used.content;
      if (canExtend && c.kind === 'ia' && !c.repeat && c.entries.length === 1 && c.entries[0]!.channel.type === 'sdcch8') {
        c.entries.push(entry);
        return used;
      }
    }
  }

  /** Puts a rejected request in the first block that has room (up to four per Reject message). */
  placeReject(ts_ms: number, entry: RejectEntry, newBlock: (b: CcchBlock) => void): CcchBlock | null {
    for (let b = this.blockAtOrAfter(ts_ms); ; b++) {
      const t = this.blockTime(b);
      if (t - ts_ms > AGCH_MAX_DELAY_MS) return null;
      const used = this.ledger.get(b);
      if (used === undefined) {
        const blk: CcchBlock = { block: b, ts_ms: t, fn: 0, content: { kind: 'iar', entries: [entry] } };
        this.ledger.set(b, blk);
        newBlock(blk);
        return blk;
      }
      if (used.content.kind === 'iar' && used.content.entries.length < 4) {
        used.content.entries.push(entry);
        return used;
      }
    }
  }

  /** Paging group of a mobile (TS 45.002 §6.5.2): (IMSI mod 1000) mod N, N = paging blocks × BS_PA_MFRMS. */
  pagingGroup(imsiMod1000: number): number {
    return imsiMod1000 % this.pagingGroups;
  }

  /**
   * Puts a page in the next block of the mobile's paging group at or after `ts_ms` that has room,
   * skipping blocks already used for an assignment. Returns the block.
   */
  placePage(ts_ms: number, imsiMod1000: number, page: PagedIdentity, newBlock: (b: CcchBlock) => void): CcchBlock {
    const g = this.pagingGroup(imsiMod1000);
    const mfrms = this.cfg.bs_pa_mfrms;
    const targetMfPhase = Math.floor(g / this.pagingBlocksPerMf);
    const j = this.agchReserved + (g % this.pagingBlocksPerMf);
    const first = this.blockAtOrAfter(ts_ms);
    let mf = Math.floor(first / 9);
    mf += (((targetMfPhase - mf) % mfrms) + mfrms) % mfrms;
    if (mf * 9 + j < first) mf += mfrms;
    for (;; mf += mfrms) {
      const b = mf * 9 + j;
      const used = this.ledger.get(b);
      if (used === undefined) {
        const blk: CcchBlock = { block: b, ts_ms: this.blockTime(b), fn: 0, content: { kind: 'page', pages: [page] } };
        this.ledger.set(b, blk);
        newBlock(blk);
        return blk;
      }
      if (used.content.kind === 'page' && pagesFit(used.content.pages, page)) {
        used.content.pages.push(page);
        return used;
      }
    }
  }

  /** Removes and returns the block due for transmission. */
  take(block: number): CcchBlock | undefined {
    const b = this.ledger.get(block);
    if (b !== undefined) {
      this.ledger.delete(block);
      this.lastCcchBlockSent = block;
    }
    return b;
  }

  /** A free SDCCH subchannel index (held until released), or −1 when all are busy. */
  allocateSdcch(ts_ms: number): number {
    const busy = this.sdcchBusyUntil;
    for (let i = 0; i < busy.length; i++) {
      if (busy[i]! <= ts_ms) {
        busy[i] = Number.POSITIVE_INFINITY;
        return i;
      }
    }
    return -1;
  }

  releaseSdcch(index: number, ts_ms: number): void {
    this.sdcchBusyUntil[index] = ts_ms;
  }

  /** SDCCH index → (timeslot, subchannel): SDCCH/8 groups on timeslots 1, 2, … of the BCCH carrier. */
  sdcchChannel(index: number): { timeslot: number; subchannel: number } {
    return { timeslot: 1 + Math.floor(index / 8), subchannel: index % 8 };
  }

  takeTch(): boolean {
    if (this.tchBusy >= this.cfg.tch) return false;
    this.tchBusy++;
    return true;
  }

  releaseTch(): void {
    if (this.tchBusy > 0) this.tchBusy--;
  }

  /**
   * Records a RACH burst and returns the chance it collides with another mobile's in the same slot
   * (slotted ALOHA, 1 − e^−G, G = bursts per RACH slot; a non-combined CCCH has one slot per frame).
   */
  rachCollisionProbability(ts_ms: number): number {
    const dt = Math.max(0, ts_ms - this.rachLoadAt);
    this.rachLoad = this.rachLoad * Math.exp(-dt / 1000) + 1;
    this.rachLoadAt = ts_ms;
    const perSlot = (this.rachLoad / 1000) * FRAME_MS; // bursts per second × seconds per slot
    return 1 - Math.exp(-perSlot);
  }
}

/**
 * Whether one more identity fits a paging block: P1 carries two identities (at most one IMSI here), P2
 * two TMSIs and one of any type, P3 four TMSIs (TS 44.018 §9.1.22–9.1.24).
 */
export function pagesFit(pages: readonly PagedIdentity[], extra: PagedIdentity): boolean {
  const n = pages.length + 1;
  if (n === 1) return true;
  let imsis = extra.identity.type === 'imsi' ? 1 : 0;
  for (const p of pages) if (p.identity.type === 'imsi') imsis++;
  // Two 15-digit IMSIs fill a P1 to the last octet and leave no room for its rest octets.
  if (n === 2) return imsis <= 1;
  if (n === 3) return imsis <= 1;
  if (n === 4) return imsis === 0;
  return false;
}
