/**
 * Ingest: received MQTT messages in, one outcome per message out, and the outcome is final — the
 * promise `handle` returns resolves only once what it says is committed to the store. The MQTT layer
 * acknowledges (PUBACK) on that and nothing earlier, so an acknowledged message is durable.
 *
 * Messages are checked (check-message.ts, stateless), then written in batches: everything that is
 * ready in one turn of the event loop goes into one Store.ingestBatch transaction (group commit).
 * Every rejection is dead-lettered with its reason and counted, in the same transaction — except a
 * retained status that the broker re-delivers after a (re)subscribe, which is normal MQTT behaviour
 * and only counted.
 *
 * When the store cannot write (disk full, I/O error), the batch is kept and retried with backoff; its
 * promises stay pending, so nothing is acknowledged and the brokers' in-flight windows fill up and
 * hold back the senders (backpressure, no loss). `close()` tries a last commit and resolves whatever
 * is still pending as `store_failed` (not acknowledged: the broker or the probe sends it again).
 * Never throws on any payload.
 */
import { ReasonCounter, type Logger, type ParsedEnvelope } from '@simhound/protocol';
import { StoreUnavailableError, type BatchItem, type BatchItemOutcome, type Store } from '../store/store.js';
import { checkMessage, type IngestRejection } from './check-message.js';
import type { ProbeRegistry } from './probe-registry.js';

export type IngestResult =
  | { outcome: 'stored'; envelope: ParsedEnvelope }
  | { outcome: 'rejected'; reason: IngestRejection | 'store_rejected'; detail?: string }
  | { outcome: 'retained_redelivery'; id: string }
  /** Not committed and never will be by this process (it is closing): do not acknowledge. */
  | { outcome: 'store_failed'; detail: string };

export interface IngestStats {
  accepted_total: number;
  accepted_by_kind: Record<string, number>;
  rejected_total: number;
  rejected_by_reason: Record<string, number>;
  /** Retained statuses re-delivered after a (re)subscribe whose id was already stored. */
  retained_redeliveries: number;
  /** Batch commits that failed because the store could not write (each is retried). */
  store_failures: number;
  /** Messages checked and waiting for their batch to commit. */
  pending: number;
  /** Transactions committed, and the messages they held. */
  batches_committed: number;
  batched_messages: number;
  last_accepted_ts_ms: number | null;
}

/** Checks one message; the default runs check-message.ts inline (a worker pool may stand in). */
export type MessageChecker = (topic: string, payload: Uint8Array, now_ms: number) => ReturnType<typeof checkMessage> | Promise<ReturnType<typeof checkMessage>>;

export interface IngestOptions {
  store: Store;
  registry: ProbeRegistry;
  max_age_s: number;
  max_future_skew_s: number;
  log: Logger;
  clock?: () => number;
  checker?: MessageChecker;
  /** Most messages in one transaction. */
  max_batch?: number;
  /** First and longest wait between commit attempts while the store cannot write. */
  retry_initial_ms?: number;
  retry_max_ms?: number;
}

export type AcceptedListener = (envelope: ParsedEnvelope, received_ts_ms: number) => void;

interface Pending {
  item: BatchItem;
  topic: string;
  retain: boolean;
  rejection: { reason: IngestRejection; detail?: string } | null;
  resolve(result: IngestResult): void;
}

export class Ingest {
  private readonly rejected = new ReasonCounter<string>();
  private readonly accepted = new ReasonCounter<string>();
  private retainedRedeliveries = 0;
  private storeFailures = 0;
  private batchesCommitted = 0;
  private batchedMessages = 0;
  private lastAccepted: number | null = null;
  private readonly listeners: AcceptedListener[] = [];
  private readonly clock: () => number;
  private readonly checker: MessageChecker;
  private readonly queue: Pending[] = [];
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay_ms: number;
  private closing = false;
  private checking = 0;

  constructor(private readonly options: IngestOptions) {
    this.clock = options.clock ?? Date.now;
    this.retryDelay_ms = options.retry_initial_ms ?? 50;
    this.checker = options.checker ?? ((topic, payload, now_ms) => checkMessage(topic, payload, {
      registry: options.registry, now_ms, max_age_s: options.max_age_s, max_future_skew_s: options.max_future_skew_s,
    }));
  }

  onAccepted(listener: AcceptedListener): void {
    this.listeners.push(listener);
  }

  /** True while the store is refusing writes and a batch waits for its retry. */
  get storeBlocked(): boolean {
    return this.retryTimer !== null;
  }

  async handle(topic: string, payload: Uint8Array, flags: { retain: boolean } = { retain: false }): Promise<IngestResult> {
    if (this.closing) return { outcome: 'store_failed', detail: 'ingest is closing' };
    const received_ts_ms = this.clock();
    this.checking += 1;
    let checked;
    try {
      checked = await this.checker(topic, payload, received_ts_ms);
    } finally {
      this.checking -= 1;
    }
    return new Promise<IngestResult>((resolve) => {
      if (checked.ok) {
        const env = checked.value;
        const duplicate_dead_letter = flags.retain && env.kind === 'status'
          ? undefined
          : { received_ts_ms, topic, reason: 'duplicate_id', detail: env.id, payload };
        const envelope_json = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
        this.queue.push({ item: { type: 'message', envelope: env, received_ts_ms, duplicate_dead_letter, envelope_json }, topic, retain: flags.retain, rejection: null, resolve });
      } else {
        const entry = { received_ts_ms, topic, reason: checked.reason, detail: checked.detail ?? null, payload };
        this.queue.push({ item: { type: 'dead_letter', entry }, topic, retain: flags.retain, rejection: { reason: checked.reason, detail: checked.detail }, resolve });
      }
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.retryTimer !== null) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Commit up to max_batch queued messages in one transaction. Returns false when the store refused. */
  private async flush(): Promise<boolean> {
    if (this.queue.length === 0) return true;
    const batch = this.queue.slice(0, this.options.max_batch ?? 1024);
    let outcomes: BatchItemOutcome[];
    try {
      outcomes = await this.options.store.ingestBatch(batch.map((p) => p.item));
    } catch (e) {
      this.storeFailures += 1;
      const transient = e instanceof StoreUnavailableError;
      if (this.retryDelay_ms === (this.options.retry_initial_ms ?? 50)) {
        this.options.log.error('store cannot write; messages are held and not acknowledged until it can', {
          error: (e as Error).message, code: transient ? (e as StoreUnavailableError).code : 'unexpected', pending: this.queue.length,
        });
      }
      if (!this.closing) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          void this.flush();
        }, this.retryDelay_ms);
        this.retryDelay_ms = Math.min(this.retryDelay_ms * 2, this.options.retry_max_ms ?? 5000);
      }
      return false;
    }
    if (this.retryDelay_ms !== (this.options.retry_initial_ms ?? 50)) {
      this.options.log.info('store writes again; held messages committed', { committed: batch.length });
      this.retryDelay_ms = this.options.retry_initial_ms ?? 50;
    }
    this.queue.splice(0, batch.length);
    this.batchesCommitted += 1;
    this.batchedMessages += batch.length;
    batch.forEach((p, i) => p.resolve(this.settle(p, outcomes[i]!)));
    if (this.queue.length > 0) this.scheduleFlush();
    return true;
  }

  private settle(p: Pending, result: BatchItemOutcome): IngestResult {
    if (p.item.type === 'dead_letter') {
      const r = p.rejection!;
      this.rejected.add(r.reason);
      this.options.log.debug('rejected', { topic: p.topic, reason: r.reason, detail: r.detail });
      return r.detail === undefined ? { outcome: 'rejected', reason: r.reason } : { outcome: 'rejected', reason: r.reason, detail: r.detail };
    }
    const env = p.item.envelope;
    switch (result.outcome) {
      case 'duplicate':
        if (p.item.duplicate_dead_letter === undefined) {
          this.retainedRedeliveries += 1;
          return { outcome: 'retained_redelivery', id: env.id };
        }
        this.rejected.add('duplicate_id');
        return { outcome: 'rejected', reason: 'duplicate_id', detail: env.id };
      case 'store_rejected':
        this.rejected.add('store_rejected');
        this.options.log.error('the store refused a message; dead-lettered', { topic: p.topic, id: env.id, detail: result.detail });
        return { outcome: 'rejected', reason: 'store_rejected', detail: result.detail };
      default:
        break;
    }
    this.accepted.add(env.kind);
    this.lastAccepted = p.item.received_ts_ms;
    for (const listener of this.listeners) {
      try {
        listener(env, p.item.received_ts_ms);
      } catch (e) {
        // A listener (e.g. the Influx writer) failing must not undo or block the stored message.
        this.options.log.error('accepted-message listener failed', { id: env.id, error: (e as Error).message });
      }
    }
    return { outcome: 'stored', envelope: env };
  }

  /**
   * Stop taking messages, try to commit what is queued, and resolve whatever could not be committed
   * as `store_failed` (the MQTT layer then withholds its acknowledgement).
   */
  async close(timeout_ms = 5000): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + timeout_ms;
    while (this.checking > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    while (this.queue.length > 0 && (await this.flush())) { /* commit what the store takes */ }
    for (const p of this.queue.splice(0)) p.resolve({ outcome: 'store_failed', detail: 'collector stopped before the store could write' });
  }

  stats(): IngestStats {
    return {
      accepted_total: this.accepted.total,
      accepted_by_kind: this.accepted.toJSON(),
      rejected_total: this.rejected.total,
      rejected_by_reason: this.rejected.toJSON(),
      retained_redeliveries: this.retainedRedeliveries,
      store_failures: this.storeFailures,
      pending: this.queue.length + this.checking,
      batches_committed: this.batchesCommitted,
      batched_messages: this.batchedMessages,
      last_accepted_ts_ms: this.lastAccepted,
    };
  }
}
