/**
 * The outbox's drop policy, shared by every Outbox implementation so memory and disk behave alike.
 *
 * An outbox is bounded. When a new message would take it past a limit, the policy decides what goes:
 * 1. windows (per-window counts, for baselines and heatmaps) older than `max_window_age_s` expire;
 * 2. past the soft limits (`max_items`, `max_bytes`) the oldest windows are dropped to make room; a new
 *    window that still does not fit (the outbox holds only detections) is itself dropped;
 * 3. detections (and any kind other than `window`) are never dropped for the soft limits, and never for
 *    age; only past the hard caps (`hard_max_items`, `hard_max_bytes`) the oldest detection goes, so the
 *    newest evidence always gets in.
 * Every drop has a reason and is counted by the outbox (status → `outbox.dropped_by_reason`).
 *
 * This module only plans: it reads the outbox through `PolicyView` and returns what to delete; the
 * implementation applies the plan atomically together with the insert. It must not do I/O itself.
 */
import type { MessageKind } from '@simhound/protocol';

export interface OutboxLimits {
  /** Soft limit on messages: windows are dropped beyond it. */
  max_items: number;
  /** Soft limit on payload bytes: windows are dropped beyond it. */
  max_bytes: number;
  /** Windows older than this are dropped (detections never expire). */
  max_window_age_s: number;
  /** Hard cap on messages: the oldest detection is dropped beyond it. */
  hard_max_items: number;
  /** Hard cap on payload bytes: the oldest detection is dropped beyond it. */
  hard_max_bytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  max_items: 100_000,
  max_bytes: 256 * 1024 * 1024,
  max_window_age_s: 7 * 24 * 3600,
  hard_max_items: 200_000,
  hard_max_bytes: 512 * 1024 * 1024,
};

/** Why a message left the outbox without a PUBACK (or never got in). */
export const OUTBOX_DROP_REASONS = ['window_expired', 'window_over_limit', 'detection_over_hard_cap', 'write_failed'] as const;
export type OutboxDropReason = (typeof OUTBOX_DROP_REASONS)[number];

export function emptyDropCounts(): Record<OutboxDropReason, number> {
  const counts = {} as Record<OutboxDropReason, number>;
  for (const r of OUTBOX_DROP_REASONS) counts[r] = 0;
  return counts;
}

/** Windows are the expendable class; everything else (detections) is kept as long as possible. */
export type PriorityClass = 'window' | 'precious';

export function priorityOf(kind: MessageKind): PriorityClass {
  return kind === 'window' ? 'window' : 'precious';
}

export interface StoredSummary {
  id: string;
  bytes: number;
  added_ts_ms: number;
}

/** What the policy may read. `oldest` yields oldest-first and may be stopped early. */
export interface PolicyView {
  items: number;
  bytes: number;
  oldest(cls: PriorityClass): Iterable<StoredSummary>;
}

export interface PlannedDrop {
  id: string;
  bytes: number;
  reason: OutboxDropReason;
}

export type AdmitPlan =
  | { admit: true; drops: PlannedDrop[] }
  /** The new message itself is dropped (counted under `reason`); `drops` still apply (expired windows). */
  | { admit: false; reason: OutboxDropReason; drops: PlannedDrop[] };

/** Decide what to drop so that a new message of `kind` and `bytes` fits. */
export function planAdmission(view: PolicyView, kind: MessageKind, bytes: number, now_ms: number, limits: OutboxLimits): AdmitPlan {
  const drops: PlannedDrop[] = [];
  let items = view.items;
  let total = view.bytes;
  const dropped = new Set<string>();
  const take = (s: StoredSummary, reason: OutboxDropReason) => {
    drops.push({ id: s.id, bytes: s.bytes, reason });
    dropped.add(s.id);
    items--;
    total -= s.bytes;
  };

  // 1. Expired windows, oldest first (stop at the first young one: insertion order ≈ age order).
  const expireBefore = now_ms - limits.max_window_age_s * 1000;
  for (const w of view.oldest('window')) {
    if (w.added_ts_ms >= expireBefore) break;
    take(w, 'window_expired');
  }

  // 2. Soft limits: oldest windows make room, for a window or a detection alike.
  // A soft limit set above its hard cap acts as the hard cap.
  const softItems = Math.min(limits.max_items, limits.hard_max_items);
  const softBytes = Math.min(limits.max_bytes, limits.hard_max_bytes);
  const overSoft = () => items + 1 > softItems || total + bytes > softBytes;
  if (overSoft()) {
    for (const w of view.oldest('window')) {
      if (!overSoft()) break;
      if (!dropped.has(w.id)) take(w, 'window_over_limit');
    }
  }
  if (priorityOf(kind) === 'window') {
    return overSoft() ? { admit: false, reason: 'window_over_limit', drops } : { admit: true, drops };
  }

  // 3. Hard caps: only now does the oldest detection give way to the new one.
  const overHard = () => items + 1 > limits.hard_max_items || total + bytes > limits.hard_max_bytes;
  if (overHard()) {
    for (const d of view.oldest('precious')) {
      if (!overHard()) break;
      take(d, 'detection_over_hard_cap');
    }
  }
  return overHard() ? { admit: false, reason: 'detection_over_hard_cap', drops } : { admit: true, drops };
}
