/**
 * Watchdog for a live source: a receiver that stops sending (gr-gsm crashed, SDR unplugged, antenna
 * cable cut) looks exactly like a quiet cell unless someone notices that nothing arrives at all. The
 * agent feeds it the source's running count of received datagrams once a second; it reports the moment
 * the source went silent for longer than `silent_after_s` (counting from start when nothing ever came)
 * and the moment data flows again, so the agent can mark the source `silent`, the probe `degraded`, and
 * log each change once.
 *
 * It must not read the source itself or decide what to do about silence.
 */
export type WatchdogChange = 'became_silent' | 'recovered';

export class SourceWatchdog {
  private lastCount = 0;
  private lastRx: number | null = null;
  private silent = false;

  constructor(
    private readonly silentAfterMs: number,
    private readonly startedMs: number,
  ) {}

  /** Feed the received count at time `now`; returns the state change, if any. */
  observe(receivedCount: number, now: number): WatchdogChange | null {
    if (receivedCount !== this.lastCount) {
      this.lastCount = receivedCount;
      this.lastRx = now;
      if (this.silent) {
        this.silent = false;
        return 'recovered';
      }
      return null;
    }
    if (!this.silent && now - (this.lastRx ?? this.startedMs) > this.silentAfterMs) {
      this.silent = true;
      return 'became_silent';
    }
    return null;
  }

  get isSilent(): boolean {
    return this.silent;
  }

  /** Wall-clock ms when something last arrived, or null if nothing ever did. */
  get lastReceivedMs(): number | null {
    return this.lastRx;
  }

  /** How long nothing has arrived, in seconds. */
  silentForS(now: number): number {
    return (now - (this.lastRx ?? this.startedMs)) / 1000;
  }
}
