/**
 * The outbox: every message is put here before it is published and removed only when the broker
 * acknowledged it (PUBACK). This module holds the interface and the in-memory implementation (tests,
 * or an explicit `outbox.kind: memory`); the disk implementation that survives `kill -9` and power cuts
 * is disk-outbox.ts. Both pass one shared test suite (edge-agent/test/publish/outbox-suite.ts) and
 * apply one drop policy (outbox-policy.ts).
 *
 * The outbox also keeps the probe's message counter (`seq`): the highest seq ever put, so that a
 * restarted agent continues the sequence and the collector can tell a gap from a restart.
 */
import type { MessageKind } from '@simhound/protocol';
import {
  DEFAULT_OUTBOX_LIMITS, emptyDropCounts, planAdmission, priorityOf, type OutboxDropReason, type OutboxLimits, type PolicyView,
  type PriorityClass, type StoredSummary,
} from './outbox-policy.js';

export interface OutboxItem {
  /** Envelope id (the idempotency key). */
  id: string;
  kind: MessageKind;
  topic: string;
  payload: string;
  retain: boolean;
  added_ts_ms: number;
  /** The envelope's seq. */
  seq: number;
}

export type OutboxPutRejection = 'duplicate_id' | 'outbox_full' | 'write_failed';

/** `dropped`: how many older messages the policy dropped to let this one in. */
export type OutboxPutResult = { ok: true; dropped: number } | { ok: false; reason: OutboxPutRejection; detail?: string };

export interface OutboxStats {
  /** True when what is in the outbox survives a crash and a power cut. */
  durable: boolean;
  depth: number;
  bytes: number;
  oldest_added_ts_ms: number | null;
  /** Messages dropped by the policy (or that could not be written), by reason; a disk outbox keeps counting across restarts. */
  dropped_by_reason: Record<OutboxDropReason, number>;
}

export interface Outbox {
  readonly durable: boolean;
  put(item: OutboxItem): OutboxPutResult;
  /** Oldest first, up to `limit`, skipping ids in `exclude` (those in flight). */
  peek(limit: number, exclude?: ReadonlySet<string>): OutboxItem[];
  remove(id: string): boolean;
  depth(): number;
  stats(): OutboxStats;
  /** Highest seq ever put (even if since removed), or null for a new outbox. */
  lastSeq(): number | null;
  close(): void;
}

export function payloadBytes(item: OutboxItem): number {
  return Buffer.byteLength(item.payload);
}

interface MemoryEntry {
  item: OutboxItem;
  bytes: number;
  order: number;
}

export class MemoryOutbox implements Outbox {
  readonly durable = false;
  private readonly byClass: Record<PriorityClass, Map<string, MemoryEntry>> = { window: new Map(), precious: new Map() };
  private readonly limits: OutboxLimits;
  private readonly dropped = emptyDropCounts();
  private bytes = 0;
  private order = 0;
  private seq: number | null = null;

  /** `limits` may be a number: the item count for both the soft limit and the hard cap. */
  constructor(limits: Partial<OutboxLimits> | number = {}, private readonly clock: () => number = Date.now) {
    this.limits = typeof limits === 'number'
      ? { ...DEFAULT_OUTBOX_LIMITS, max_items: limits, hard_max_items: limits }
      : { ...DEFAULT_OUTBOX_LIMITS, ...limits };
  }

  put(item: OutboxItem): OutboxPutResult {
    if (this.byClass.window.has(item.id) || this.byClass.precious.has(item.id)) return { ok: false, reason: 'duplicate_id' };
    const bytes = payloadBytes(item);
    const view: PolicyView = {
      items: this.depth(),
      bytes: this.bytes,
      oldest: (cls) => this.oldest(cls),
    };
    const plan = planAdmission(view, item.kind, bytes, this.clock(), this.limits);
    for (const d of plan.drops) {
      this.delete(d.id);
      this.dropped[d.reason]++;
    }
    this.seq = Math.max(this.seq ?? item.seq, item.seq);
    if (!plan.admit) {
      this.dropped[plan.reason]++;
      return { ok: false, reason: 'outbox_full' };
    }
    this.byClass[priorityOf(item.kind)].set(item.id, { item, bytes, order: this.order++ });
    this.bytes += bytes;
    return { ok: true, dropped: plan.drops.length };
  }

  peek(limit: number, exclude?: ReadonlySet<string>): OutboxItem[] {
    // Merge the two insertion-ordered maps by insertion order.
    const out: OutboxItem[] = [];
    const a = this.byClass.window.values();
    const b = this.byClass.precious.values();
    let x = a.next();
    let y = b.next();
    while (out.length < limit && !(x.done && y.done)) {
      let e: MemoryEntry;
      if (y.done || (!x.done && x.value.order < y.value.order)) {
        e = x.value as MemoryEntry;
        x = a.next();
      } else {
        e = y.value;
        y = b.next();
      }
      if (!exclude?.has(e.item.id)) out.push(e.item);
    }
    return out;
  }

  remove(id: string): boolean {
    return this.delete(id);
  }

  depth(): number {
    return this.byClass.window.size + this.byClass.precious.size;
  }

  stats(): OutboxStats {
    const first = this.peek(1)[0];
    return { durable: false, depth: this.depth(), bytes: this.bytes, oldest_added_ts_ms: first?.added_ts_ms ?? null, dropped_by_reason: { ...this.dropped } };
  }

  lastSeq(): number | null {
    return this.seq;
  }

  close(): void {}

  private *oldest(cls: PriorityClass): Iterable<StoredSummary> {
    for (const e of this.byClass[cls].values()) yield { id: e.item.id, bytes: e.bytes, added_ts_ms: e.item.added_ts_ms };
  }

  private delete(id: string): boolean {
    for (const m of [this.byClass.window, this.byClass.precious]) {
      const e = m.get(id);
      if (e !== undefined) {
        m.delete(id);
        this.bytes -= e.bytes;
        return true;
      }
    }
    return false;
  }
}
