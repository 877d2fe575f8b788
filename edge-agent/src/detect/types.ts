/**
 * The detector contract. A detector is a versioned, stateful evaluator of closed feature windows: it
 * returns zero or more detections, each with the evidence that made it fire. Changing a detector's logic
 * bumps its version, so old captures can be re-run under any version with `simhound replay`.
 */
import type { DetectionBody } from '@simhound/protocol';
import type { WindowFeatures } from '../features/feature-window.js';

/** A detection before the agent adds the probe position. */
export type DetectionDraft = Omit<DetectionBody, 'position'>;

export interface Detector {
  readonly name: string;
  readonly version: number;
  evaluate(window: WindowFeatures): DetectionDraft[];
}
