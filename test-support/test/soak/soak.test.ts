/**
 * The short fault-injection soak inside `npm test` (the long one is `npm run soak`, docs/delivery.md):
 * two load edges publish signed windows and detections at 300 msgs/s through the partition proxy, into
 * the built `simhound collector` — once on its embedded broker, once behind mosquitto started on the
 * files `simhound collector mosquitto-config` generates — while faults follow one another on the same
 * deployment: collector kill -9, a silent partition longer than the edges' keepalive, the collector's
 * disk full (RLIMIT_FSIZE 0), a clean mosquitto restart. Then every edge drains and the books are closed
 * from the two ends only (outbox files and the collector's SQLite): every message sent is stored exactly
 * once. Needs `npm run build` (the CLI and the packages the load edge imports) and mosquitto.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildren } from '../../src/soak/children.js';
import { TEST_PROFILE, formatRowLine, runSoak, testRows } from '../../src/soak/soak.js';

afterAll(() => killAllChildren());

describe('fault-injection soak (short)', () => {
  for (const spec of testRows()) {
    it(`${[spec.fault, ...(spec.then ?? [])].join(' → ')}, ${spec.broker}: sent = stored, 0 lost, 0 duplicated`, async () => {
      const [row] = await runSoak(TEST_PROFILE, [spec]);
      const detail = `${formatRowLine(row!)}\n${JSON.stringify(row!.probes, null, 1)}`;
      expect(row!.sent, detail).toBeGreaterThan(1000);
      expect(row!.lost, detail).toBe(0);
      expect(row!.duplicated, detail).toBe(0);
      expect(row!.stored, detail).toBe(row!.sent - row!.dropped);
      expect(row!.dropped, detail).toBe(0);
    }, 150_000);
  }
});
