/**
 * Reads a scenario from YAML/JSON and validates it: the schema (defaults applied), then the checks a
 * schema cannot express (references between sections, dates, positions). Every problem is reported at
 * once, each with its JSON-pointer path, e.g. `/dens/0/operators/1: no cell of operator 65103`.
 *
 * It must not run or partially accept a scenario with errors.
 */
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { fail, ok, type Result } from '@simhound/protocol';
import { CROWD_SCHEMAS, ScenarioSchema, type CrowdKind, type Scenario } from './scenario.js';
import { checkScenario } from './scenario-check.js';

/** The scenario schema with crowds left open: each crowd is validated against the schema of its kind. */
const ShellSchema = Type.Object({ ...ScenarioSchema.properties, crowds: Type.Array(Type.Unknown(), { default: [] }) }, { additionalProperties: false });

export type ScenarioLoadFailReason = 'unreadable' | 'bad_yaml' | 'invalid';

function schemaErrors(schema: Parameters<typeof Value.Errors>[0], value: unknown, prefix: string): string[] {
  return [...Value.Errors(schema, value)].map((e) => `${prefix}${e.path || ''}${e.path || prefix ? '' : '/'}: ${e.message}`);
}

/** Validates a parsed scenario document; on success the value has every default filled in. */
export function parseScenario(raw: unknown): Result<Scenario, 'invalid'> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('invalid', '/: a scenario is a mapping (YAML object)');
  const value = Value.Default(ShellSchema, structuredClone(raw)) as Record<string, unknown>;
  const errors = schemaErrors(ShellSchema, value, '');
  const crowds = Array.isArray(value.crowds) ? value.crowds : [];
  crowds.forEach((c, i) => {
    const kind = (c as { kind?: unknown } | null)?.kind;
    const schema = typeof kind === 'string' ? CROWD_SCHEMAS[kind as CrowdKind] : undefined;
    if (schema === undefined) {
      errors.push(`/crowds/${i}/kind: expected one of ${Object.keys(CROWD_SCHEMAS).join(', ')}`);
      return;
    }
    crowds[i] = Value.Default(schema, c);
    errors.push(...schemaErrors(schema, crowds[i], `/crowds/${i}`));
  });
  if (errors.length === 0) errors.push(...checkScenario(value as Scenario));
  if (errors.length > 0) return fail('invalid', [...new Set(errors)].join('\n'));
  return ok(value as Scenario);
}

export function loadScenarioFile(path: string): Result<Scenario, ScenarioLoadFailReason> {
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
