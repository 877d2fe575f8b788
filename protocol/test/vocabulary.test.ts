import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACT_SCHEMAS, FIELD_VOCABULARY, checkFieldName, renderContractDoc, schemaProperties } from '@simhound/protocol';

describe('field vocabulary', () => {
  it('names every property of every schema, each following <quantity>_<unit>', () => {
    const problems: string[] = [];
    for (const { title, schema } of CONTRACT_SCHEMAS) {
      for (const p of schemaProperties(schema)) {
        const problem = checkFieldName(p.name);
        if (problem) problems.push(`${title} ${p.path}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps its own entries consistent with the naming rule', () => {
    const problems = Object.keys(FIELD_VOCABULARY).map(checkFieldName).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  it('catches a field whose suffix and unit disagree', () => {
    expect(checkFieldName('no_such_field_ms')).toMatch(/not in the vocabulary/);
    expect(checkFieldName('ta_steps')).toBeNull();
  });
});

describe('docs/contract.md', () => {
  it('is what `npm run docs:contract` generates from the schemas (regenerate it after changing them)', () => {
    const committed = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderContractDoc());
  });
});
