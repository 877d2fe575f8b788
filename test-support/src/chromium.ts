/**
 * Launches the system Chromium (Debian's /usr/bin/chromium) headless through playwright-core, with a
 * fresh user-data-dir per launch and every background network feature off, so a page test talks to
 * nothing but the loopback server under test. Fails clearly when Chromium is missing; never skips,
 * never downloads a browser. Test-only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { requireBinary } from './service-process.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface RunningChromium {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<RunningChromium> {
  const executablePath = process.env.SIMHOUND_CHROMIUM ?? requireBinary('chromium', 'chromium');
  const userDataDir = mkdtempSync(join(tmpdir(), 'simhound-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`could not launch Chromium at ${executablePath}: ${(e as Error).message}`);
  }
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
