import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDoc } from '../src/config-doc.js';

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` generates from the schemas (regenerate it after changing them)', () => {
    expect(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(renderConfigDoc());
  });
});
