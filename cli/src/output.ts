/**
 * How the CLI talks to its user: a logger on stderr, results on stdout (respecting back-pressure when
 * stdout is a slow pipe), and fatal errors as one line `simhound: <what went wrong and what to do>` with
 * a documented exit code (docs/cli.md). Stack traces only with `--debug` or `SIMHOUND_DEBUG=1`.
 *
 * Every command (and the collector's) ends a failure by throwing `CliError(message, EXIT.x)` or by
 * calling `exitWithError`; nothing else prints errors or calls process.exit.
 */
import { once } from 'node:events';
import { createLogger, stderrSink, type Logger, type LogLevel } from '@simhound/protocol';

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** The command could not do its job: unreadable file, port in use, unreachable database … */
  failure: 1,
  /** Bad command line or configuration (flag value, config file, unknown role …). */
  usage: 2,
  /** The edge stopped with messages that will never reach the broker (dropped, or left in a memory outbox). */
  undelivered: 3,
  /** The input was damaged (a capture cut short mid-record): everything before the damage was processed. */
  damaged_input: 4,
  /** A live source failed beyond recovery (an SDR stream stalled): systemd restarts the agent. */
  source_failed: 5,
  /** A bug: an error nobody anticipated. Rerun with --debug and report the stack trace. */
  internal: 70,
} as const;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
  }
}

export function cliLogger(level: LogLevel = (process.env.SIMHOUND_LOG_LEVEL as LogLevel | undefined) ?? 'info'): Logger {
  return createLogger({ level, sink: stderrSink, namespace: 'simhound' });
}

/** `--debug` anywhere on the command line, or SIMHOUND_DEBUG=1. */
export function debugEnabled(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--debug') || process.env.SIMHOUND_DEBUG === '1';
}

/** Print `simhound: <message>` (one line per line of message) on stderr and exit with `code`. */
export function exitWithError(message: string, code: number, stack?: string): never {
  process.stderr.write(message.split('\n').map((line) => `simhound: ${line}\n`).join(''));
  if (stack !== undefined) process.stderr.write(`${stack}\n`);
  process.exit(code);
}

/**
 * The last word on any error that reached the top of a command. Errors that carry their own exit code
 * (`CliError`) or a one-line message meant for users (`userFacing` says which error classes do) print
 * that line; anything else is a bug: one line saying so, the stack only in debug mode.
 */
export function exitOnError(err: unknown, options: { debug?: boolean; userFacing?: (err: Error) => boolean } = {}): never {
  const debug = options.debug ?? debugEnabled();
  if (err instanceof CliError) exitWithError(err.message, err.exitCode, debug ? err.stack : undefined);
  if (err instanceof Error && options.userFacing?.(err)) exitWithError(err.message, EXIT.failure, debug ? err.stack : undefined);
  const message = err instanceof Error ? err.message : String(err);
  const line = `unexpected error: ${message.split('\n')[0]}${debug ? '' : ' (rerun with --debug for the stack trace, and please report it)'}`;
  exitWithError(line, EXIT.internal, debug && err instanceof Error ? err.stack : undefined);
}

export function printLine(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

/**
 * Resolves when stdout can take more (undefined when it already can). Producers await it between
 * chunks of work, so a slow reader at the other end of a pipe slows them down instead of letting
 * everything pile up in memory.
 */
export function stdoutRoom(): Promise<void> | undefined {
  if (!process.stdout.writableNeedDrain) return undefined;
  return once(process.stdout, 'drain').then(() => undefined);
}

/** Wait until everything written to stdout has been handed to the OS. */
export async function flushStdout(): Promise<void> {
  if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
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
