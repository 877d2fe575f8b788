/**
 * Renders a case file's HTML to PDF with a headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; no browser is downloaded). One render at a time; each launches and closes its own
 * browser with a fresh profile and every background network feature off, so nothing lingers and the
 * page (self-contained, no scripts) talks to nothing.
 * Must not build the HTML (case-file.ts does).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { fail, ok, type Result } from '@simhound/protocol';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

export class CasePdfRenderer {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly chromiumPath: string) {}

  render(html: string): Promise<Result<Buffer, 'no_chromium' | 'render_failed'>> {
    const task = async (): Promise<Result<Buffer, 'no_chromium' | 'render_failed'>> => {
      if (!existsSync(this.chromiumPath)) return fail('no_chromium', `no Chromium at ${this.chromiumPath} (alerts.case_file.chromium_path; Debian: apt-get install chromium)`);
      const profile = mkdtempSync(join(tmpdir(), 'simhound-case-pdf-'));
      try {
        const context = await chromium.launchPersistentContext(profile, { executablePath: this.chromiumPath, headless: true, args: ARGS, offline: true });
        try {
          const page = await context.newPage();
          await page.setContent(html, { waitUntil: 'load' });
          const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
          return ok(Buffer.from(pdf));
        } finally {
          await context.close();
        }
      } catch (e) {
        return fail('render_failed', (e as Error).message.split('\n')[0]);
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    };
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
