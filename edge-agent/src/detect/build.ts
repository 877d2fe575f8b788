/**
 * From the `detectors` config section to what a pipeline runs: the detection engine's options (slot
 * detectors, fusion thresholds, cadence, baselines) and the reference window detectors. The edge agent,
 * `simhound replay --detect` and `simhound eval` all go through here, so one config means one behaviour.
 */
import type { CellId } from '@simhound/protocol';
import type { EdgeConfig } from '../config.js';
import type { BaselineStore } from '../features/baseline.js';
import type { EngineOptions } from './engine.js';
import { buildSlotDetectors, buildWindowDetectors, selectDetectors } from './registry.js';
import type { WindowDetector } from './types.js';
import type { UplinkMultislotConfig } from './uplink-multislot.js';

export type DetectorsConfig = EdgeConfig['detectors'];

export interface DetectionSetup {
  engine: Omit<EngineOptions, 'onCandidate' | 'onIndicator'> | null;
  windowDetectors: WindowDetector[];
  /** uplink-multislot@1's thresholds when it runs (the agent feeds it the SDR's slot_occupancy reports), else null. */
  uplinkMultislot: UplinkMultislotConfig | null;
}

export function detectionSetup(
  config: DetectorsConfig,
  extras: { baselines?: BaselineStore; cellDistanceM?: (a: CellId, b: CellId) => number | null } = {},
): DetectionSetup {
  const selected = selectDetectors(config.run);
  if (!selected.ok) throw new Error(`detectors.run: unknown detector ${selected.detail}`);
  const { slot, engine, probe, window } = selected.value;
  const runEngine = slot.length > 0;
  return {
    engine: runEngine
      ? {
          detectors: buildSlotDetectors(slot, config),
          fusion: config.fusion,
          tick_s: config.tick_s,
          update_interval_s: config.update_interval_s,
          end_after_s: config.end_after_s,
          utc_offset_h: config.utc_offset_h,
          multiOperator: engine.includes('multi-operator@1'),
          ...(extras.baselines ? { baselines: extras.baselines } : {}),
          ...(extras.cellDistanceM ? { cellDistanceM: extras.cellDistanceM } : {}),
        }
      : null,
    windowDetectors: buildWindowDetectors(window),
    uplinkMultislot: runEngine && probe.includes('uplink-multislot@1') ? config.uplink_multislot : null,
  };
}
