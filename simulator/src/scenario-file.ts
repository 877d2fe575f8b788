/** Reads a scenario from YAML/JSON and validates it (every problem, with its path). */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { fail, ok, type Result } from '@simhound/protocol';
import { ScenarioSchema, type Scenario } from './scenario.js';

export function parseScenario(raw: unknown): Result<Scenario, 'invalid'> {
  const value = Value.Default(ScenarioSchema, structuredClone(raw ?? {}));
  const errors = [...Value.Errors(ScenarioSchema, value)].map((e) => `${e.path || '/'}: ${e.message}`);
  if (errors.length > 0) return fail('invalid', [...new Set(errors)].join('\n'));
  return ok(value as Scenario);
}

export function loadScenarioFile(path: string): Result<Scenario, 'unreadable' | 'bad_yaml' | 'invalid'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return fail('unreadable', `${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    return fail('bad_yaml', `${path}: ${(e as Error).message}`);
  }
  const r = parseScenario(raw);
  return r.ok ? r : fail('invalid', `${path}:\n${r.detail}`);
}
