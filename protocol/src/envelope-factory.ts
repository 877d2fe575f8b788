/**
 * Makes signed envelopes for one probe (or the collector): fresh UUIDv7 id, monotonic seq, signature.
 *
 * `seq` starts from the wall clock in microseconds, so it stays monotonic across restarts without
 * persisted state (as long as the clock does not step back and fewer than a million messages a second
 * are made on average), and then counts up by one per message: within one run of a process the seq
 * numbers are dense, so the collector can report gaps. An offline status (a Last Will, signed when the
 * connection is made and published only if it dies, or a final status) does not take a number of its
 * own — it repeats the last one — so an unused Last Will leaves no gap.
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

  make<B>(kind: MessageKind, body: B, ts_ms: number = this.clock()): Envelope<B> {
    const offline = kind === 'status' && (body as { state?: unknown } | null)?.state === 'offline';
    if (!offline) this.seq += 1;
    return signEnvelope(
      { v: 1, id: newMessageId(ts_ms), kind, site: this.site, probe: this.probe, ts_ms, seq: this.seq, body },
      this.privateKey,
    );
  }
}
