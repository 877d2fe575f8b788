/**
 * The outbox: every message is put here before it is published and removed only when the broker
 * acknowledged it (PUBACK). This module holds the interface and the in-memory implementation; the
 * disk-backed outbox that survives restarts arrives with the delivery-reliability issue and must pass
 * the same shared test suite (edge-agent/test/publish/outbox-suite.ts).
 */

export interface OutboxItem {
  /** Envelope id (the idempotency key). */
  id: string;
  topic: string;
  payload: string;
  retain: boolean;
  added_ts_ms: number;
}

export type OutboxPutResult = { ok: true } | { ok: false; reason: 'outbox_full' | 'duplicate_id' };

export interface Outbox {
  put(item: OutboxItem): OutboxPutResult;
  /** Oldest first, up to `limit`, skipping ids in `exclude` (those in flight). */
  peek(limit: number, exclude?: ReadonlySet<string>): OutboxItem[];
  remove(id: string): boolean;
  depth(): number;
}

export class MemoryOutbox implements Outbox {
  private readonly items = new Map<string, OutboxItem>();

  constructor(private readonly maxItems = 100_000) {}

  put(item: OutboxItem): OutboxPutResult {
    if (this.items.has(item.id)) return { ok: false, reason: 'duplicate_id' };
    // Full means refuse and let the caller count it: dropping the oldest would lose a detection silently.
    if (this.items.size >= this.maxItems) return { ok: false, reason: 'outbox_full' };
    this.items.set(item.id, item);
    return { ok: true };
  }

  peek(limit: number, exclude?: ReadonlySet<string>): OutboxItem[] {
    const out: OutboxItem[] = [];
    for (const item of this.items.values()) {
      if (out.length >= limit) break;
      if (exclude?.has(item.id)) continue;
      out.push(item);
    }
    return out;
  }

  remove(id: string): boolean {
    return this.items.delete(id);
  }

  depth(): number {
    return this.items.size;
  }
}
