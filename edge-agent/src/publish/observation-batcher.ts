/**
 * Collects observations from every source (SDR bursts, modem cell reports, rotator bearings, GPS) and
 * hands them to the publisher in batches: one `observation` message per `max_items` items or per
 * `max_delay_ms`, whichever comes first, so a burst meter producing hundreds of items a second does not
 * become hundreds of MQTT messages. Each batch is checked against the contract before it leaves; an
 * item that fails is counted and dropped (a bug in a source, never sent).
 * It must not publish by itself: `send` does (the agent passes the publisher's enqueue).
 */
import { MAX_OBSERVATIONS_PER_MESSAGE, checkBody, type Observation, type ObservationBody } from '@simhound/protocol';

export interface ObservationBatcherOptions {
  send: (body: ObservationBody) => void;
  max_items?: number;
  max_delay_ms?: number;
}

export class ObservationBatcher {
  private pending: Observation[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly maxItems: number;
  private readonly maxDelayMs: number;
  sent_batches = 0;
  sent_items = 0;
  rejected_items = 0;

  constructor(private readonly options: ObservationBatcherOptions) {
    this.maxItems = Math.min(options.max_items ?? 200, MAX_OBSERVATIONS_PER_MESSAGE);
    this.maxDelayMs = options.max_delay_ms ?? 1000;
  }

  add(observation: Observation): boolean {
    if (!checkBody('observation', { observations: [observation] }).ok) {
      this.rejected_items++;
      return false;
    }
    this.pending.push(observation);
    if (this.pending.length >= this.maxItems) this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
    return true;
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const observations = this.pending;
    this.pending = [];
    this.sent_batches++;
    this.sent_items += observations.length;
    this.options.send({ observations });
  }
}
