/**
 * Loads a YAML config file and validates it against a TypeBox schema: defaults come from the schema,
 * and every problem is reported at once with its path (zigbee2mqtt-style), never just the first.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Static, TObject, TSchema, TUnion } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { fail, ok, type Result } from '@simhound/protocol';

export type ConfigRejection = 'unreadable' | 'bad_yaml' | 'invalid';

export interface ConfigProblem {
  path: string;
  message: string;
}

export function validateConfig<S extends TSchema>(schema: S, raw: unknown): Result<Static<S>, 'invalid'> & { problems?: ConfigProblem[] } {
  const value = Value.Default(schema, structuredClone(raw ?? {}));
  const problems = schemaProblems(schema, value, '');
  // A missing field also fails its type check: say only that it is missing.
  const missing = new Set(problems.filter((p) => p.message === REQUIRED).map((p) => p.path));
  const useful = problems.filter((p) => p.message === REQUIRED || !missing.has(p.path));
  const unique = [...new Map(useful.map((p) => [`${p.path} ${p.message}`, p])).values()];
  if (unique.length > 0) return { ...fail('invalid', unique.map((p) => `${p.path}: ${p.message}`).join('\n')), problems: unique };
  return ok(value as Static<S>);
}

const REQUIRED = 'is required';

/** Every problem of `value` against `schema`, with unions explained instead of "Expected union value" (any validator may use it). */
export function schemaProblems(schema: TSchema, value: unknown, base = ''): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const e of Value.Errors(schema, value)) {
    const path = `${base}${e.path}` || '/';
    if (e.type === ValueErrorType.Union) problems.push(...unionProblems(e.schema as TUnion, e.value, `${base}${e.path}`));
    else problems.push({ path, message: e.type === ValueErrorType.ObjectRequiredProperty ? REQUIRED : e.message });
  }
  return problems;
}

/**
 * Say what a union expected. A union of literals: "must be one of a, b". A union of objects told apart
 * by a literal field (`kind`): that field's allowed values when it matches none, else the real errors
 * of the variant it names (with that variant's defaults applied). Anything else: the errors of the
 * variant that comes closest.
 */
function unionProblems(union: TUnion, value: unknown, path: string): ConfigProblem[] {
  const variants = union.anyOf;
  const literal = (s: TSchema): unknown => (s as { const?: unknown }).const;
  const got = value === undefined ? ' (missing)' : ` (got ${JSON.stringify(value)})`;
  if (variants.every((v) => literal(v) !== undefined)) {
    return [{ path: path || '/', message: `must be one of ${variants.map((v) => String(literal(v))).join(', ')}${got}` }];
  }
  const objects = variants.filter((v): v is TObject => v.type === 'object' && v.properties !== undefined);
  const discriminator = objects.length === variants.length
    ? Object.keys(objects[0]?.properties ?? {}).find((k) => objects.every((o) => o.properties[k] !== undefined && literal(o.properties[k]!) !== undefined))
    : undefined;
  if (discriminator !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tag = (value as Record<string, unknown>)[discriminator];
    const match = objects.find((o) => literal(o.properties[discriminator]!) === tag);
    if (match === undefined) {
      const allowed = objects.map((o) => String(literal(o.properties[discriminator]!))).join(', ');
      const gotTag = tag === undefined ? ' (missing)' : ` (got ${JSON.stringify(tag)})`;
      return [{ path: `${path}/${discriminator}`, message: `must be one of ${allowed}${gotTag}` }];
    }
    return schemaProblems(match, Value.Default(match, structuredClone(value)), path);
  }
  // No tag to go by: report the variant with the fewest problems.
  const candidates = variants.map((v) => schemaProblems(v, Value.Default(v, structuredClone(value)), path));
  candidates.sort((a, b) => a.length - b.length);
  return candidates[0] ?? [{ path: path || '/', message: 'matches none of the allowed forms' }];
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
