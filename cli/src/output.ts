/** How the CLI talks to its user: a logger on stderr, results on stdout, fatal errors with exit codes. */
import { createLogger, stderrSink, type Logger, type LogLevel } from '@simhound/protocol';

export function cliLogger(level: LogLevel = (process.env.SIMHOUND_LOG_LEVEL as LogLevel | undefined) ?? 'info'): Logger {
  return createLogger({ level, sink: stderrSink, namespace: 'simhound' });
}

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function printLine(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

/** Resolve on SIGINT/SIGTERM (the long-running commands stop cleanly on either). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (s: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(s);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
