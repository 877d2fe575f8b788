/**
 * The logger interface library code receives. Library code never prints; it logs through an injected
 * `Logger` whose namespace says where a line came from (`edge:gsmtap`, `collector:ingest`).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(namespace: string): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: { level: LogLevel; ns: string; msg: string; fields?: LogFields; ts_ms: number }) => void;

/** A logger writing one line per entry to a sink; the CLI decides the sink (stderr, JSON, nothing). */
export function createLogger(options: { level?: LogLevel; sink: LogSink; namespace?: string }): Logger {
  const min = LEVEL_RANK[options.level ?? 'info'];
  const make = (ns: string): Logger => {
    const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
      if (LEVEL_RANK[level] < min) return;
      options.sink({ level, ns, msg, fields, ts_ms: Date.now() });
    };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (sub) => make(ns ? `${ns}:${sub}` : sub),
    };
  };
  return make(options.namespace ?? '');
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = createLogger({ level: 'error', sink: () => {} });

/** Human-readable stderr sink: `12:00:01.123 INFO edge:gsmtap message {fields}`. */
export function stderrSink(line: Parameters<LogSink>[0]): void {
  const t = new Date(line.ts_ms).toISOString().slice(11, 23);
  const f = line.fields && Object.keys(line.fields).length > 0 ? ` ${JSON.stringify(line.fields)}` : '';
  process.stderr.write(`${t} ${line.level.toUpperCase().padEnd(5)} ${line.ns} ${line.msg}${f}\n`);
}
