/**
 * Child processes for the soak: the built `simhound` CLI (cli/dist/main.js — what a user runs) and the
 * load edge (load-edge.ts, bundled once, importing the built packages). Each child keeps the tail of its
 * output, can be signalled or killed, and is registered so that `killAllChildren()` leaves nothing
 * running when a soak ends or fails. Test-only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI_MAIN = `${ROOT}cli/dist/main.js`;
const LOAD_EDGE_SOURCE = `${ROOT}test-support/src/soak/load-edge.ts`;
// Inside node_modules so that the bundle's package imports resolve to the workspace's built packages.
const LOAD_EDGE_DIR = `${ROOT}node_modules/.cache/simhound-soak`;
const LOAD_EDGE = `${LOAD_EDGE_DIR}/load-edge.js`;

let loadEdgeBuilt: Promise<void> | null = null;

/**
 * Bundle load-edge.ts once per run (tsup; packages stay imports of their built dist). A process
 * started from the bundle is up in about half the time tsx needs on a loaded machine, which keeps
 * restarts in the soak close to what a real edge restart costs.
 */
export function prepareLoadEdge(): Promise<void> {
  loadEdgeBuilt ??= build({
    entry: { 'load-edge': LOAD_EDGE_SOURCE },
    outDir: LOAD_EDGE_DIR,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    skipNodeModulesBundle: true,
    silent: true,
    config: false,
  }).then(() => {
    if (!existsSync(LOAD_EDGE)) throw new Error(`bundling ${LOAD_EDGE_SOURCE} made no ${LOAD_EDGE}`);
  });
  return loadEdgeBuilt;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  name: string;
  pid: number;
  /** Last ~40 KB of stdout + stderr. */
  output(): string;
  running(): boolean;
  /** How it ended, or null while it runs. */
  exitInfo(): ExitInfo | null;
  exited: Promise<ExitInfo>;
  signal(sig: NodeJS.Signals): void;
  /** Send `sig` and wait for the exit; SIGKILL after `grace_ms` if it is still running. */
  stop(sig?: NodeJS.Signals, grace_ms?: number): Promise<ExitInfo>;
  /** Called with every complete stdout line. */
  onLine(listener: (line: string) => void): void;
}

const live = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  live.clear();
}

export function spawnChild(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let tail = '';
  let partial = '';
  const listeners: Array<(line: string) => void> = [];
  const keep = (text: string) => {
    tail = (tail + text).slice(-40_000);
  };
  child.stdout!.on('data', (c: Buffer) => {
    const text = c.toString('utf8');
    keep(text);
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) for (const l of listeners) l(line);
  });
  child.stderr!.on('data', (c: Buffer) => keep(c.toString('utf8')));
  let done: ExitInfo | null = null;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('error', (e) => {
      keep(`\nspawn error: ${e.message}\n`);
      done = { code: null, signal: null };
      live.delete(child);
      resolve(done);
    });
    child.on('exit', (code, signal) => {
      done = { code, signal };
      live.delete(child);
      resolve(done);
    });
  });
  return {
    name,
    pid: child.pid ?? -1,
    output: () => tail,
    running: () => done === null,
    exitInfo: () => done,
    exited,
    signal(sig) {
      if (done === null) child.kill(sig);
    },
    async stop(sig = 'SIGTERM', grace_ms = 30_000) {
      if (done !== null) return done;
      child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), grace_ms);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
    onLine(listener) {
      listeners.push(listener);
    },
  };
}

/** `simhound <args>` from the built CLI. */
export function spawnCli(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npm run build\` first`);
  return spawnChild(name, process.execPath, [CLI_MAIN, ...args], { env: { ...process.env, ...env } });
}

/** Run the CLI to its end; resolves with its exit and output. */
export async function runCli(args: string[], timeout_ms = 60_000): Promise<ExitInfo & { output: string }> {
  const c = spawnCli(`simhound ${args[0] ?? ''}`, args);
  const timer = setTimeout(() => c.signal('SIGKILL'), timeout_ms);
  const r = await c.exited;
  clearTimeout(timer);
  return { ...r, output: c.output() };
}

export interface LoadEdgeProgress {
  t_ms: number;
  made: number;
  refused: number;
  published: number;
  depth: number;
  in_flight: number;
  connected: boolean;
  producing: boolean;
  last_seq: number;
  dropped: Record<string, number>;
  final: boolean;
}

export interface LoadEdgeChild extends Child {
  /** The latest progress line, or null before the first. */
  progress(): LoadEdgeProgress | null;
}

/** The load edge (load-edge.ts, bundled by `prepareLoadEdge()`, which must have resolved) on an edge config. */
export function spawnLoadEdge(name: string, configFile: string, options: { rate: number; detectionEvery: number }): LoadEdgeChild {
  if (!existsSync(LOAD_EDGE)) throw new Error(`${LOAD_EDGE} is missing: await prepareLoadEdge() first`);
  const child = spawnChild(name, process.execPath, [LOAD_EDGE, configFile, '--rate', String(options.rate), '--detection-every', String(options.detectionEvery)]);
  let last: LoadEdgeProgress | null = null;
  child.onLine((line) => {
    if (!line.startsWith('{')) return;
    try {
      last = JSON.parse(line) as LoadEdgeProgress;
    } catch {
      // not a progress line
    }
  });
  return Object.assign(child, { progress: () => last });
}
