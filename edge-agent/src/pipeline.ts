/**
 * One source's analysis pipeline: events → feature windows → detectors → detection drafts. A pipeline
 * has one clock (capture time for a pcap, receive time for live UDP), so each source gets its own.
 */
import type { DetectionBody, Position, WindowBody } from '@simhound/protocol';
import { FeatureWindower, type WindowFeatures } from './features/feature-window.js';
import { windowToBody } from './features/window-message.js';
import type { Detector } from './detect/types.js';
import type { GsmEvent } from './gsm/events.js';

export interface PipelineSinks {
  onDetection(d: DetectionBody): void;
  onWindow(w: WindowBody): void;
}

export class AnalysisPipeline {
  private readonly windower: FeatureWindower;
  detections = 0;
  windows = 0;

  constructor(
    window_s: number,
    private readonly detectors: readonly Detector[],
    private readonly position: () => Position | null,
    private readonly sinks: PipelineSinks,
  ) {
    this.windower = new FeatureWindower(window_s, (w) => this.closeWindow(w));
  }

  add(event: GsmEvent): void {
    this.windower.add(event);
  }

  /** Close windows that ended before `ts_ms` (live sources call this on a timer). */
  tick(ts_ms: number): void {
    this.windower.advanceTo(ts_ms);
  }

  flush(): void {
    this.windower.flush();
  }

  get lateEvents(): number {
    return this.windower.lateEvents;
  }

  private closeWindow(w: WindowFeatures): void {
    this.windows++;
    this.sinks.onWindow(windowToBody(w));
    const position = this.position();
    for (const detector of this.detectors) {
      for (const draft of detector.evaluate(w)) {
        this.detections++;
        this.sinks.onDetection({ ...draft, position });
      }
    }
  }
}
