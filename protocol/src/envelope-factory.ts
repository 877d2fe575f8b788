/**
 * Makes signed envelopes for one probe (or the collector): fresh UUIDv7 id, monotonic seq, signature.
 *
 * Two numberings: the edge publisher numbers the messages that travel through its outbox (detections,
 * windows, observations) itself, +1 each, and keeps the counter with the outbox so it continues across
 * restarts — the collector reports gaps in those; everything else (statuses, commands) takes the
 * factory's counter, which starts from the wall clock in microseconds (monotonic across restarts without
 * persisted state) and counts up by one per message within a run.
 */
import type { KeyObject } from 'node:crypto';
import { newMessageId } from './ids.js';
import type { Envelope, MessageKind } from './schemas/envelope.js';
import { signEnvelope } from './signing.js';
import { isValidSegment } from './topics.js';

export class EnvelopeFactory {
  private seq: number;

  constructor(
    readonly site: string,
    readonly probe: string,
    private readonly privateKey: KeyObject,
    private readonly clock: () => number = Date.now,
  ) {
    if (!isValidSegment(site)) throw new TypeError(`invalid site name ${JSON.stringify(site)}`);
    if (!isValidSegment(probe)) throw new TypeError(`invalid probe name ${JSON.stringify(probe)}`);
    this.seq = clock() * 1000;
  }

  /**
   * Sign a new envelope. `seq` given: use it as is (the edge publisher numbers its messages itself and
   * keeps the counter in the outbox, so it continues across restarts); omitted: the clock-based counter.
   */
  make<B>(kind: MessageKind, body: B, ts_ms: number = this.clock(), seq?: number): Envelope<B> {
    // Dense within a run (time passing opens no gap); an offline status (a Last Will, signed at connect
    // and published only if the connection dies) repeats the last number instead of taking one.
    const offline = kind === 'status' && (body as { state?: unknown } | null)?.state === 'offline';
    if (seq === undefined && !offline) this.seq += 1;
    return signEnvelope(
      { v: 1, id: newMessageId(ts_ms), kind, site: this.site, probe: this.probe, ts_ms, seq: seq ?? this.seq, body },
      this.privateKey,
    );
  }
}
