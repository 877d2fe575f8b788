/**
 * One source's analysis pipeline: events → feature windows (published counts) and → the detection
 * engine (den candidates), plus any legacy window detectors chosen as reference (ccch-burst@1, the naive
 * threshold). A pipeline has one clock (capture time for a pcap, receive time for live UDP), so each
 * source gets its own.
 */
import type { DetectionBody, Position, WindowBody } from '@simhound/protocol';
import { FeatureWindower, type WindowFeatures } from './features/feature-window.js';
import { windowToBody } from './features/window-message.js';
import { DetectionEngine, type EngineOptions, type PlaceKey } from './detect/engine.js';
import type { DetectionDraft, Indicator, WindowDetector } from './detect/types.js';
import type { GsmEvent } from './gsm/events.js';
import type { SessionFacts } from './features/traffic-tracker.js';
import { sessionFacts } from './features/session-facts.js';

export interface PipelineSinks {
  onDetection(d: DetectionBody): void;
  onWindow(w: WindowBody): void;
  onIndicator?(place: PlaceKey, indicator: Indicator): void;
}

export interface PipelineOptions {
  window_s: number;
  /** The detection engine (den candidates); omit to run only window detectors. */
  engine?: Omit<EngineOptions, 'onCandidate' | 'onIndicator'> | null;
  /** Legacy window detectors (reference rows in `simhound eval`). */
  windowDetectors?: readonly WindowDetector[];
  position: () => Position | null;
  sinks: PipelineSinks;
}

export class AnalysisPipeline {
  private readonly windower: FeatureWindower;
  readonly engine: DetectionEngine | null;
  private readonly windowDetectors: readonly WindowDetector[];
  detections = 0;
  windows = 0;

  constructor(private readonly options: PipelineOptions) {
    this.windower = new FeatureWindower(options.window_s, (w) => this.closeWindow(w));
    this.windowDetectors = options.windowDetectors ?? [];
    this.engine = options.engine
      ? new DetectionEngine({
          ...options.engine,
          onCandidate: (d) => this.emit(d),
          ...(options.sinks.onIndicator ? { onIndicator: options.sinks.onIndicator } : {}),
        })
      : null;
  }

  add(event: GsmEvent): void {
    this.windower.add(event);
    if (event.type === 'DedicatedSession') this.engine?.addSession(sessionFacts(event));
    else this.engine?.add(event);
  }

  /** A dedicated-channel session (when the probe follows SDCCH). */
  addSession(facts: SessionFacts): void {
    this.engine?.addSession(facts);
  }

  /** Close windows and run detection up to `ts_ms` (live sources call this on a timer). */
  tick(ts_ms: number): void {
    this.windower.advanceTo(ts_ms);
    this.engine?.advance(ts_ms);
  }

  flush(): void {
    this.windower.flush();
    this.engine?.flush();
  }

  get lateEvents(): number {
    return this.windower.lateEvents;
  }

  private emit(draft: DetectionDraft): void {
    this.detections++;
    this.options.sinks.onDetection({ ...draft, position: this.options.position() });
  }

  private closeWindow(w: WindowFeatures): void {
    this.windows++;
    this.options.sinks.onWindow(windowToBody(w));
    for (const detector of this.windowDetectors) for (const draft of detector.evaluate(w)) this.emit(draft);
  }
}
