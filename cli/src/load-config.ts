/**
 * Loads a YAML config file and validates it against a TypeBox schema: defaults come from the schema,
 * and every problem is reported at once with its path (zigbee2mqtt-style), never just the first.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { fail, ok, type Result } from '@simhound/protocol';

export type ConfigRejection = 'unreadable' | 'bad_yaml' | 'invalid';

export interface ConfigProblem {
  path: string;
  message: string;
}

export function validateConfig<S extends TSchema>(schema: S, raw: unknown): Result<Static<S>, 'invalid'> & { problems?: ConfigProblem[] } {
  const value = Value.Default(schema, structuredClone(raw ?? {}));
  const problems: ConfigProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    // A union reports one error per branch plus its own; keep the most useful unique lines.
    problems.push({ path: e.path || '/', message: e.message });
  }
  const unique = [...new Map(problems.map((p) => [`${p.path} ${p.message}`, p])).values()];
  if (unique.length > 0) return { ...fail('invalid', unique.map((p) => `${p.path}: ${p.message}`).join('\n')), problems: unique };
  return ok(value as Static<S>);
}

/**
 * Read YAML at `file` and validate. `pathFields` (JSON-pointer-ish dotted paths) are resolved relative to
 * the config file's folder, so a config can say `signing_key_file: keys/probe.pem`.
 */
export function loadConfigFile<S extends TSchema>(schema: S, file: string, pathFields: string[] = []): Result<Static<S>, ConfigRejection> {
  return loadConfigFileWith((raw) => validateConfig(schema, raw), file, pathFields);
}

/** Same, with a package's own validator (e.g. the collector's, which adds cross-field rules). */
export function loadConfigFileWith<T>(
  validate: (raw: unknown) => { ok: true; value: T } | { ok: false; detail?: string },
  file: string,
  pathFields: string[] = [],
): Result<T, ConfigRejection> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail('unreadable', `${file}: ${(e as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) return fail('bad_yaml', doc.errors.map((e) => `${file}: ${e.message}`).join('\n'));
  const checked = validate(doc.toJS());
  if (!checked.ok) return fail('invalid', `${file}:\n${checked.detail ?? 'invalid'}`);
  const base = dirname(resolve(file));
  for (const field of pathFields) resolvePathField(checked.value as Record<string, unknown>, field.split('.'), base);
  return ok(checked.value);
}

function resolvePathField(obj: Record<string, unknown>, path: string[], base: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const next = obj[head];
  if (head === '*' && Array.isArray(obj)) {
    for (const item of obj) resolvePathField(item as Record<string, unknown>, rest, base);
    return;
  }
  if (rest.length === 0) {
    if (typeof next === 'string' && next !== '' && !isAbsolute(next)) obj[head] = resolve(base, next);
    return;
  }
  if (next !== null && typeof next === 'object') resolvePathField(next as Record<string, unknown>, rest, base);
}
