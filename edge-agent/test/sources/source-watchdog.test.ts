import { describe, expect, it } from 'vitest';
import { SourceWatchdog } from '../../src/sources/source-watchdog.js';

describe('SourceWatchdog', () => {
  it('calls a source silent once nothing arrived for longer than the limit, and recovered when data flows', () => {
    const w = new SourceWatchdog(10_000, 0);
    expect(w.observe(0, 5_000)).toBeNull();
    expect(w.observe(0, 10_001)).toBe('became_silent'); // never received anything: counted from start
    expect(w.observe(0, 20_000)).toBeNull(); // reported once
    expect(w.isSilent).toBe(true);
    expect(w.observe(3, 21_000)).toBe('recovered');
    expect(w.lastReceivedMs).toBe(21_000);
    expect(w.observe(3, 31_000)).toBeNull();
    expect(w.observe(3, 31_001)).toBe('became_silent');
    expect(w.silentForS(41_000)).toBe(20);
  });
});
