/**
 * Precision from real outcomes (simhound eval --outcomes): counts per detector version and tier, moved
 * counts as found, duplicates are left out, Wilson intervals; the JSON of /api/alerts/outcomes and bad
 * inputs. Reading a live collector database is covered end to end (dashboards/test/alerts-page.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutcomeLabel } from '@simhound/collector';
import { outcomePrecision, outcomesMarkdown, readOutcomeLabels } from '../../src/eval/outcomes.js';

const label = (outcome: OutcomeLabel['outcome'], detectors: string[], tier: OutcomeLabel['tier'] = 'high', i = 0): OutcomeLabel => ({
  alert_id: `a${i}`, den_id: `d${i}`, cycle: 1, outcome, closed_ts_ms: 1_700_000_000_000 + i * 60_000, closed_by: 'ana', tier, score: 0.9, detectors,
});

describe('eval --outcomes', () => {
  const labels = [
    label('raided', ['den-candidate@1', 'mo-mt-asymmetry@2'], 'high', 1),
    label('raided', ['den-candidate@1', 'mo-mt-asymmetry@1'], 'high', 2),
    label('nothing_found', ['den-candidate@1', 'mo-mt-asymmetry@1'], 'medium', 3),
    label('moved', ['den-candidate@1', 'mo-mt-asymmetry@2', 'machine-regularity@1'], 'medium', 4),
    label('duplicate', ['den-candidate@1', 'mo-mt-asymmetry@2'], 'low', 5),
  ];

  it('reports precision per detector version and tier, moved as found, duplicates left out', () => {
    const r = outcomePrecision(labels, 'test');
    const by = Object.fromEntries(r.by_detector.map((x) => [x.key, x]));
    expect(by['den-candidate@1']).toMatchObject({ labels: 5, raided: 2, moved: 1, nothing_found: 1, duplicate: 1, precision: 0.75 });
    expect(by['mo-mt-asymmetry@1']).toMatchObject({ labels: 2, precision: 0.5 });
    expect(by['mo-mt-asymmetry@2']).toMatchObject({ labels: 3, raided: 1, moved: 1, duplicate: 1, precision: 1 });
    expect(by['machine-regularity@1']!.precision).toBe(1);
    expect(r.by_tier.map((x) => [x.key, x.precision])).toEqual([['tier:high', 1], ['tier:medium', 0.5], ['tier:low', null]]);
    expect(r.overall).toMatchObject({ labels: 5, precision: 0.75 });
    // Wilson interval of 3/4: about 30–95 %.
    expect(r.overall.ci95![0]).toBeCloseTo(0.301, 2);
    expect(r.overall.ci95![1]).toBeCloseTo(0.954, 2);
    const md = outcomesMarkdown(r);
    expect(md).toContain('| mo-mt-asymmetry@1 | 2 | 1 | 0 | 1 | 0 | 50 % | ');
    expect(md).toContain('| tier:low | 1 | 0 | 0 | 0 | 1 | — | — |');
  });

  it('reads the JSON of /api/alerts/outcomes and refuses what is neither that nor a collector database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-outcomes-'));
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ now_ts_ms: 1, labels }));
    expect(await readOutcomeLabels(join(dir, 'o.json'))).toHaveLength(5);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ labels: [{ nope: 1 }] }));
    await expect(readOutcomeLabels(join(dir, 'bad.json'))).rejects.toThrow(/expected the JSON of GET \/api\/alerts\/outcomes/);
    writeFileSync(join(dir, 'x.txt'), 'hello');
    await expect(readOutcomeLabels(join(dir, 'x.txt'))).rejects.toThrow(/neither a collector database nor JSON/);
    await expect(readOutcomeLabels(join(dir, 'missing.sqlite'))).rejects.toThrow(/--outcomes .*missing.sqlite/);
  });
});
