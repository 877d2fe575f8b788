/**
 * Fixed-seed fuzzing of every modem/GPS line parser (50k mutated lines from the real vectors and the
 * reference sentences): nothing throws, every outcome is ok or a reason from the closed set, and every
 * accepted cell report still satisfies the observation contract.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBody } from '@simhound/protocol';
import { seededRandom } from '@simhound/test-support/random';
import {
  MODEM_PARSE_REASONS, parseCengResponse, parseCgpsInfo, parseCurrentOperator, parseNmeaSentence, parseOperatorScan,
  parseQengResponse, parseQgpsLoc, parseRegistration, parseSignalQuality,
} from '../../src/modem/index.js';

const vector = (name: string) => readFileSync(new URL(`../vectors/modem/${name}`, import.meta.url), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
const SEEDS = [
  ...vector('ceng-SIM800L.txt'), ...vector('ceng-SIM808.txt'), ...vector('ceng-SIM900.txt'), ...vector('qeng-quectel.txt'),
  '+CREG: 2,1,"0113","4E72"', '+CGREG: 5,"00FD","5431",0', '+CSQ: 24,99',
  '+COPS: (2,"T-Mobile","TMO","310260",0),(1,"AT&T","AT&T","310410",0),,(0,1,2,3,4),(0,1,2)', '+COPS: 0,2,"310260",0',
  '+CGPSINFO: 3113.343286,N,12121.234064,E,250311,072809.3,44.1,0.0,0',
  '+QGPSLOC: 061951.000,3150.7223N,11711.9293E,0.7,62.2,2,0.00,0.0,0.0,110513,09',
  '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47',
  '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A',
];
const ALPHABET = '0123456789abcdefABCDEF,"-+.: NSEW*$\r\x00\xff';

function mutate(line: string, rnd: () => number): string {
  let s = line;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = Math.floor(rnd() * 5);
    const ch = ALPHABET[Math.floor(rnd() * ALPHABET.length)]!;
    if (op === 0) s = s.slice(0, at) + ch + s.slice(at + 1);
    else if (op === 1) s = s.slice(0, at) + ch + s.slice(at);
    else if (op === 2) s = s.slice(0, at) + s.slice(at + 1);
    else if (op === 3) s = s.slice(0, at);
    else s = s.slice(0, at) + s.slice(at, at + 8).repeat(1 + Math.floor(rnd() * 80)) + s.slice(at);
  }
  return s;
}

describe('modem parsers fuzz (fixed seed)', () => {
  it('50,000 mutated lines: no throw, closed reasons, accepted reports fit the contract', () => {
    const rnd = seededRandom(0x5e41a1);
    const reasons = new Set<string>(MODEM_PARSE_REASONS);
    const seen: Record<string, number> = {};
    let accepted = 0;
    let contractViolations = 0;
    const note = (r: { ok: boolean; reason?: string }) => {
      const k = r.ok ? 'ok' : r.reason!;
      seen[k] = (seen[k] ?? 0) + 1;
      if (!r.ok && !reasons.has(r.reason!)) throw new Error(`unknown reason ${r.reason}`);
    };
    for (let i = 0; i < 50_000; i++) {
      const line = mutate(SEEDS[Math.floor(rnd() * SEEDS.length)]!, rnd);
      for (const report of [parseCengResponse([line]), parseQengResponse([line])]) {
        note(report);
        if (!report.ok) continue;
        accepted++;
        const obs = [
          ...(report.value.serving ? [{ type: 'serving_cell' as const, ts_ms: 1, ...report.value.serving }] : []),
          { type: 'neighbour_cells' as const, ts_ms: 1, rat: report.value.rat, neighbours: report.value.neighbours },
        ];
        if (!checkBody('observation', { observations: obs }).ok) contractViolations++;
      }
      for (const p of [parseRegistration, parseSignalQuality, parseOperatorScan, parseCurrentOperator, parseCgpsInfo, parseQgpsLoc, parseNmeaSentence]) note(p(line));
    }
    expect(contractViolations).toBe(0);
    expect(accepted).toBeGreaterThan(2000);
    for (const reason of ['bad_syntax', 'bad_field', 'not_this_report', 'bad_checksum', 'too_long']) expect(seen[reason], reason).toBeGreaterThan(0);
  });
});
