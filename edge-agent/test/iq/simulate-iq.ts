/**
 * Test helper: `seconds` of a simulated IQ scene (simulator/src/iq) written as rtl_sdr cu8 and run
 * through one IqPipeline; returns its events and the scene's truth.
 */
import { IqSceneGenerator, quantizeIq, type IqScene, type TruthBurst } from '@simhound/simulator';
import type { IqEvent } from '../../src/iq/events.js';
import { IqPipeline } from '../../src/iq/iq-pipeline.js';

export function simulateIq(scene: IqScene, seconds: number, reportS: number): { events: IqEvent[]; truth: TruthBurst[]; clipped: number } {
  const events: IqEvent[] = [];
  const created = IqPipeline.create({ format: 'cu8', sample_rate_hz: scene.sample_rate_hz, center_freq_hz: scene.center_freq_hz, band: 'GSM900', report_interval_s: reportS }, (e) => events.push(e));
  if (!created.ok) throw new Error(created.detail);
  const gen = new IqSceneGenerator(scene);
  const block = 96_000;
  let clipped = 0;
  for (let done = 0; done < seconds * scene.sample_rate_hz; done += block) {
    const q = quantizeIq(gen.next(block), block, 'cu8');
    clipped += q.clipped;
    created.value.push(q.bytes);
  }
  created.value.flush();
  return { events, truth: gen.truth, clipped };
}
