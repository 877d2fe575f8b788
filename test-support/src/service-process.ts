/**
 * Runs a system service (mosquitto, influxd …) as a child process for a test: checks that the binary
 * exists (and fails with a clear message when it does not — tests never skip a real part), keeps the
 * tail of its output for error messages, and stops it (SIGTERM, then SIGKILL) when asked.
 * Test-only; it must not be used to manage production services.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of `name` on PATH (plus the sbin directories Debian puts daemons in), or a thrown Error naming the package. */
export function requireBinary(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} not found on PATH or in /usr/sbin: install the Debian package "${debianPackage}" (apt-get install -y ${debianPackage}); this test needs the real ${name}`);
}

/** Run a short helper command (e.g. mosquitto_passwd) and throw with its output if it fails. */
export function runChecked(command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${command} failed to start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}: ${r.stderr || r.stdout}`);
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Last few KB of stdout+stderr, for error messages. */
  output(): string;
  /** null while running, otherwise why it ended. */
  exitReason(): string | null;
  stop(): Promise<void>;
}

export function startServiceProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ServiceProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let ended: string | null = null;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (e) => {
    ended = `failed to start: ${e.message}`;
  });
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      ended ??= `exit code ${code} signal ${signal}; output: ${tail.trim().slice(-2000)}`;
      resolve();
    });
  });
  return {
    child,
    output: () => tail,
    exitReason: () => ended,
    async stop() {
      if (ended !== null || child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
