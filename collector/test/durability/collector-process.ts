/**
 * A real `simhound collector` in a child process (the CLI run from source with tsx, so no build is
 * needed), for crash tests: start it on a YAML config, wait until it listens, kill it with SIGKILL or
 * stop it with SIGTERM, and read what it printed. Test-only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { waitForPort } from '@simhound/test-support/ports';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CollectorProcess {
  pid: number;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function writeYaml(path: string, value: unknown): void {
  writeFileSync(path, stringify(value));
}

/** Start `simhound collector --config <file>` and wait until `port` (HTTP) answers. */
export async function startCollectorProcess(configFile: string, httpPort: number): Promise<CollectorProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'cli/src/main.ts', 'collector', '--config', configFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SIMHOUND_LOG_LEVEL: 'warn' },
  });
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let ended: string | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      ended = `exit ${code} ${signal}: ${out.slice(-2000)}`;
      resolve({ code, signal });
    });
  });
  await waitForPort(httpPort, { what: 'collector', stillRunning: () => ended, timeout_ms: 30_000 });
  return {
    pid: child.pid!,
    output: () => out,
    exited,
    async kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}

/** Run the CLI once and return its exit code and output. */
export function runCli(args: string[], timeout_ms = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'cli/src/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout_ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
