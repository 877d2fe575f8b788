/**
 * The fault-injection soak (issue #8): for each fault and rate, a fresh deployment (deployment.ts)
 * carries a steady stream of signed messages from edges to the collector's store while the fault
 * happens; then every edge is drained and stopped, and the books (accounting.ts) say what was sent,
 * stored, lost, stored twice and dropped by the outbox policy.
 *
 * The stream: load edges (the real outbox and publisher, load-edge.ts) at a fixed total rate, and in
 * the rows about the edge itself the real `simhound edge` reading a simulated capture. Faults:
 * - collector kill -9 / SIGTERM, restarted after an outage (embedded broker and mosquitto);
 * - mosquitto kill -9, restarted from its persistence on the same config;
 * - edge kill -9 with a backlog (made by a short partition, killed while draining), restarted;
 * - a partition of the edges' line through the TCP proxy (silent: no RST);
 * - the collector's disk full: RLIMIT_FSIZE of the running collector set to 0 with prlimit (every
 *   write to its database fails with EFBIG, as nothing can be written to a full disk), lifted after;
 * - the end of a pcap run (`simhound edge` on a capture exits when it is read);
 * - a retained stale Last Will after a prune: a probe dies (mosquitto keeps its retained Last Will),
 *   the collector's seen-id prune passes, the collector restarts and mosquitto re-delivers the Will.
 * Test-only; it starts real processes and must be given a built CLI (`npm run build`).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { requireBinary, runChecked } from '../service-process.js';
import { closeBooks, countStored, readEdgeBooks, type ProbeBooks } from './accounting.js';
import { killAllChildren, prepareLoadEdge, runCli, type Child, type LoadEdgeChild } from './children.js';
import { Deployment, type BrokerKind, type EdgeTuning, type SoakProbe } from './deployment.js';

export type FaultName =
  | 'collector-kill9' | 'collector-sigterm' | 'mosquitto-kill9' | 'mosquitto-restart' | 'edge-kill9' | 'partition' | 'disk-full'
  | 'pcap-end' | 'stale-will';
export type RateName = 'full' | 'gentle';

export interface SoakRowSpec {
  fault: FaultName;
  broker: BrokerKind;
  rate: RateName;
  /** More faults injected one after the other in the same deployment (the short test's combined rows). */
  then?: FaultName[];
}

/**
 * Faults whose loss is a limit of a component we do not own, measured and documented rather than
 * failing the soak: mosquitto keeps its state in memory and writes a snapshot once a second (the
 * generated `autosave_interval 1`), after the PUBACKs it sent, so a kill -9 can lose what it
 * acknowledged since the last snapshot and had not yet handed to the collector (docs/mosquitto.md).
 */
export const KNOWN_LIMITS: Partial<Record<FaultName, string>> = {
  'mosquitto-kill9': "mosquitto's limit: what it acknowledged since its last snapshot (≤ 1 s) and had not delivered is gone (docs/mosquitto.md)",
};

export interface SoakProfile {
  name: string;
  /** Total messages per second over the load edges. */
  rates: Record<RateName, number>;
  /** Load edges per row. */
  edges: number;
  /** One message in this many is a detection, the rest windows. */
  detection_every: number;
  warmup_s: number;
  after_s: number;
  collector_outage_s: number;
  mosquitto_outage_s: number;
  partition_s: number;
  disk_full_s: number;
  /** Edge kill -9: partition this long first to build the backlog. */
  backlog_s: number;
  /** Stale Last Will: the collector's max_age_s (the seen-id prune horizon). */
  stale_after_s: number;
  /** Simulated seconds of the capture the pcap rows read. */
  capture_s: number;
  /** How long the drain at the end of a row may take. */
  drain_timeout_s: number;
  /** Keepalive of the edges (a silent partition is noticed after 1.5×). */
  keepalive_s: number;
}

export const SHORT_PROFILE: SoakProfile = {
  name: 'short', rates: { full: 300, gentle: 10 }, edges: 2, detection_every: 5,
  warmup_s: 2, after_s: 2, collector_outage_s: 2, mosquitto_outage_s: 2, partition_s: 15, disk_full_s: 5,
  backlog_s: 3, stale_after_s: 15, capture_s: 3600, drain_timeout_s: 180, keepalive_s: 5,
};

/**
 * The profile `npm test` runs (test-support/test/soak/soak.test.ts): two combined rows at the full rate,
 * each a few faults in a row on one deployment, short outages; about a minute in all.
 */
export const TEST_PROFILE: SoakProfile = {
  name: 'test', rates: { full: 300, gentle: 10 }, edges: 2, detection_every: 5,
  warmup_s: 1, after_s: 1, collector_outage_s: 2, mosquitto_outage_s: 1, partition_s: 8, disk_full_s: 3,
  backlog_s: 2, stale_after_s: 15, capture_s: 600, drain_timeout_s: 120, keepalive_s: 5,
};

/** The rows of the test profile: every fault that needs no capture and no prune wait, at full rate. */
export function testRows(): SoakRowSpec[] {
  return [
    { fault: 'collector-kill9', then: ['partition', 'disk-full'], broker: 'embedded', rate: 'full' },
    { fault: 'collector-kill9', then: ['mosquitto-restart', 'disk-full'], broker: 'mosquitto', rate: 'full' },
  ];
}

export const FULL_PROFILE: SoakProfile = {
  name: 'full', rates: { full: 1000, gentle: 10 }, edges: 2, detection_every: 5,
  warmup_s: 10, after_s: 10, collector_outage_s: 10, mosquitto_outage_s: 5, partition_s: 600, disk_full_s: 60,
  backlog_s: 10, stale_after_s: 60, capture_s: 6 * 3600, drain_timeout_s: 1200, keepalive_s: 30,
};

/** Every fault at both rates, in the order the table shows them. */
export function allRows(): SoakRowSpec[] {
  const faults: Array<{ fault: FaultName; broker: BrokerKind }> = [
    { fault: 'collector-kill9', broker: 'embedded' },
    { fault: 'collector-sigterm', broker: 'embedded' },
    { fault: 'collector-kill9', broker: 'mosquitto' },
    { fault: 'collector-sigterm', broker: 'mosquitto' },
    { fault: 'mosquitto-restart', broker: 'mosquitto' },
    { fault: 'mosquitto-kill9', broker: 'mosquitto' },
    { fault: 'edge-kill9', broker: 'embedded' },
    { fault: 'partition', broker: 'embedded' },
    { fault: 'disk-full', broker: 'embedded' },
    { fault: 'disk-full', broker: 'mosquitto' },
    { fault: 'pcap-end', broker: 'embedded' },
    { fault: 'stale-will', broker: 'mosquitto' },
  ];
  return faults.flatMap((f) => (['full', 'gentle'] as const).map((rate) => ({ ...f, rate })));
}

export interface SoakRow extends SoakRowSpec {
  label: string;
  msgs_per_s: number;
  sent: number;
  stored: number;
  lost: number;
  duplicated: number;
  dropped: number;
  /** Copies the collector recognised by id and did not store again (at-least-once at work). */
  redelivered: number;
  duration_s: number;
  notes: string[];
  probes: ProbeBooks[];
}

const FAULT_LABELS: Record<FaultName, string> = {
  'collector-kill9': 'collector kill -9',
  'collector-sigterm': 'collector SIGTERM',
  'mosquitto-kill9': 'mosquitto kill -9 + restart',
  'mosquitto-restart': 'mosquitto SIGTERM + restart',
  'edge-kill9': 'edge kill -9 with a backlog',
  partition: 'partition (TCP proxy)',
  'disk-full': 'collector disk full',
  'pcap-end': 'end of a pcap run',
  'stale-will': 'retained stale Last Will after a prune',
};

export function rowLabel(spec: SoakRowSpec, profile: SoakProfile): string {
  const one = (f: FaultName) => `${FAULT_LABELS[f]}${f === 'partition' ? ` ${formatSeconds(profile.partition_s)}`
    : f === 'disk-full' ? ` ${formatSeconds(profile.disk_full_s)}`
      : ''}`;
  const faults = [spec.fault, ...(spec.then ?? [])];
  const mosquittoOnly = faults.every((f) => f === 'mosquitto-kill9' || f === 'mosquitto-restart' || f === 'stale-will');
  const broker = mosquittoOnly ? '' : `, ${spec.broker === 'embedded' ? 'embedded broker' : 'mosquitto'}`;
  return `${faults.map(one).join(' → ')}${broker}`;
}

/** The row's faults, for filters: "collector-kill9+partition embedded full". */
export function rowKey(spec: SoakRowSpec): string {
  return `${[spec.fault, ...(spec.then ?? [])].join('+')} ${spec.broker} ${spec.rate}`;
}

function formatSeconds(s: number): string {
  return s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, what: string, timeout_s: number): Promise<void> {
  const deadline = Date.now() + timeout_s * 1000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`soak: timed out after ${timeout_s} s waiting for ${what}`);
    await sleep(100);
  }
}

/** Simulated capture for the pcap rows, made once per soak with the real `simhound simulate`. */
export async function makeCapture(profile: SoakProfile): Promise<{ path: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'simhound-soak-capture-'));
  const r = await runCli(['simulate', join('simulator', 'scenarios', 'maseru-demo.yaml'), '--out', dir, '--duration-s', String(profile.capture_s)], 600_000);
  if (r.code !== 0) throw new Error(`simhound simulate failed (${r.code}): ${r.output}`);
  const pcap = readdirSync(dir).find((f) => f.endsWith('.pcap'));
  if (pcap === undefined) throw new Error(`simhound simulate wrote no capture in ${dir}`);
  return { path: join(dir, pcap), dir };
}

function tuningFor(rate: RateName, profile: SoakProfile): EdgeTuning {
  return {
    // Gentle: the agent's default drain rate; full: enough for the backlog after an outage to drain.
    drain_rate_per_s: rate === 'full' ? 5000 : 200,
    reconnect_max_s: 5,
    keepalive_s: profile.keepalive_s,
    stop_flush_timeout_s: 30,
  };
}

interface RowContext {
  d: Deployment;
  profile: SoakProfile;
  spec: SoakRowSpec;
  tuning: EdgeTuning;
  capture: string | null;
  loadProbes: SoakProbe[];
  loadEdges: Map<SoakProbe, LoadEdgeChild>;
  cliEdges: Map<SoakProbe, Child>;
  notes: string[];
  log: (line: string) => void;
}

function startLoadEdges(ctx: RowContext): void {
  const perEdge = ctx.profile.rates[ctx.spec.rate] / ctx.loadProbes.length;
  for (const p of ctx.loadProbes) ctx.loadEdges.set(p, ctx.d.startLoadEdge(p, ctx.tuning, perEdge, ctx.profile.detection_every));
}

function startCliEdge(ctx: RowContext, p: SoakProbe, source: 'pcap' | 'udp', attempt: string): void {
  const sources = source === 'pcap' ? [{ kind: 'pcap', path: ctx.capture }] : [{ kind: 'gsmtap_udp', host: '127.0.0.1', port: 0 }];
  // The pcap edge drains at the row's rate: the capture is read in seconds, so it has a backlog.
  const tuning = { ...ctx.tuning, drain_rate_per_s: ctx.spec.rate === 'full' ? 2000 : 20 };
  ctx.cliEdges.set(p, ctx.d.startCliEdge(p, tuning, sources, `${p.probe}-${attempt}`));
}

async function waitLoadEdgesPublishing(ctx: RowContext): Promise<void> {
  await until(() => [...ctx.loadEdges.entries()].every(([probe, e]) => {
    if (!e.running()) throw new Error(`${e.name} exited: ${e.output().slice(-2000)}`);
    const p = e.progress();
    // The stale-will victim makes no messages: connected (its Last Will is with the broker) is enough.
    return p !== null && p.connected && (p.published > 0 || probe.probe === 'victim');
  }), 'the load edges connected and publishing', 90);
}

/**
 * Drain and stop every edge: load edges stop making messages and are stopped once their outbox is
 * empty; a CLI edge is stopped (its clean stop flushes) and, if it kept messages on disk, started
 * again without a capture until it has none. Returns when every outbox is empty.
 */
async function drainEdges(ctx: RowContext): Promise<void> {
  // A load edge handles its signals once it reports progress (before that, SIGUSR2 would end it).
  await until(() => [...ctx.loadEdges.values()].every((e) => e.progress() !== null || !e.running()), 'the load edges up', 90);
  for (const e of ctx.loadEdges.values()) e.signal('SIGUSR2');
  const deadline = Date.now() + ctx.profile.drain_timeout_s * 1000;
  for (const [p, e] of ctx.loadEdges) {
    await until(() => {
      if (!e.running()) throw new Error(`${e.name} exited while draining (${JSON.stringify(e.exitInfo())}): ${e.output().slice(-2000)}`);
      const pr = e.progress();
      return pr !== null && !pr.producing && pr.depth === 0 && pr.in_flight === 0;
    }, `${p.probe} drained`, Math.max(1, (deadline - Date.now()) / 1000));
    const exit = await e.stop('SIGTERM', 60_000);
    if (exit.code !== 0) ctx.notes.push(`${p.probe} exit ${exit.code ?? exit.signal}`);
  }
  for (const [p, e] of ctx.cliEdges) {
    let edge = e;
    for (let attempt = 2; ; attempt += 1) {
      if (edge.running()) {
        // A live (udp) edge: give its drain a moment, then the clean stop flushes the rest.
        edge.signal('SIGTERM');
      }
      const exit = await edge.exited;
      if (exit.code !== 0) ctx.notes.push(`simhound edge ${p.probe} exit ${exit.code ?? exit.signal}: ${lastLine(edge.output())}`);
      const depth = readEdgeBooks(p.outboxPath).depth;
      if (depth === 0) break;
      if (Date.now() > deadline) throw new Error(`soak: simhound edge ${p.probe} still has ${depth} messages after the drain timeout`);
      ctx.log(`  simhound edge ${p.probe} left ${depth} in its outbox; starting it again to drain`);
      startCliEdge(ctx, p, 'udp', `drain${attempt}`);
      edge = ctx.cliEdges.get(p)!;
      await sleep(5000);
    }
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Wait until the collector has stored what the edges sent (the outboxes are empty: all was acknowledged). */
async function waitStored(ctx: RowContext, probes: SoakProbe[]): Promise<void> {
  const expected = probes.map((p) => {
    const b = readEdgeBooks(p.outboxPath);
    return { p, n: b.last_seq - p.seq0 - b.dropped };
  });
  let last = -1;
  let stableSince = Date.now();
  await until(() => {
    const stored = expected.map(({ p }) => countStored(ctx.d.sqlitePath, p.site, p.probe, p.seq0));
    const total = stored.reduce((a, b) => a + b, 0);
    if (total !== last) {
      last = total;
      stableSince = Date.now();
    }
    // Done when everything is there, or nothing has arrived for 15 s (the books will say what is missing).
    return expected.every((e, i) => stored[i]! >= e.n) || Date.now() - stableSince > 15_000;
  }, 'the collector to store what was acknowledged', ctx.profile.drain_timeout_s);
}

async function injectFault(ctx: RowContext, fault: FaultName): Promise<void> {
  const { d, profile } = ctx;
  switch (fault) {
    case 'collector-kill9':
    case 'collector-sigterm': {
      const sig = fault === 'collector-kill9' ? 'SIGKILL' : 'SIGTERM';
      const exit = await d.collector!.stop(sig, 60_000);
      if (sig === 'SIGTERM' && exit.code !== 0) ctx.notes.push(`collector SIGTERM exit ${exit.code ?? exit.signal}`);
      await sleep(profile.collector_outage_s * 1000);
      await d.startCollector();
      return;
    }
    case 'mosquitto-kill9':
    case 'mosquitto-restart': {
      if (fault === 'mosquitto-kill9') await d.mosquitto!.kill();
      else await d.mosquitto!.stop();
      await sleep(profile.mosquitto_outage_s * 1000);
      await d.startMosquitto();
      return;
    }
    case 'edge-kill9': {
      d.proxy.cut();
      await sleep(profile.backlog_s * 1000);
      d.proxy.restore();
      // Kill while the backlog drains: messages in flight, PUBACKs on their way.
      await sleep(150);
      const backlog = [...ctx.loadEdges.values()].map((e) => e.progress()?.depth ?? 0).reduce((a, b) => a + b, 0);
      for (const e of [...ctx.loadEdges.values(), ...ctx.cliEdges.values()]) e.signal('SIGKILL');
      for (const e of [...ctx.loadEdges.values(), ...ctx.cliEdges.values()]) await e.exited;
      ctx.notes.push(`killed with ${backlog} messages in the load edges' outboxes`);
      await sleep(1000);
      startLoadEdges(ctx);
      for (const p of ctx.cliEdges.keys()) startCliEdge(ctx, p, 'udp', 'restart');
      await waitLoadEdgesPublishing(ctx);
      return;
    }
    case 'partition': {
      d.proxy.cut();
      await sleep(profile.partition_s * 1000);
      const backlog = [...ctx.loadEdges.values()].map((e) => e.progress()?.depth ?? 0).reduce((a, b) => a + b, 0);
      d.proxy.restore();
      ctx.notes.push(`backlog ${backlog} at the end of the partition`);
      return;
    }
    case 'disk-full': {
      const prlimit = requireBinary('prlimit', 'util-linux');
      const pid = String(d.collector!.pid);
      // Soft limit only (0:unlimited): raising it again needs no privilege.
      runChecked(prlimit, ['--pid', pid, '--fsize=0:unlimited']);
      await sleep(Math.min(3, profile.disk_full_s) * 1000);
      const during = await d.healthz();
      await sleep(Math.max(0, profile.disk_full_s - 3) * 1000);
      runChecked(prlimit, ['--pid', pid, '--fsize=unlimited:unlimited']);
      const store = during?.store as { writable?: boolean } | undefined;
      ctx.notes.push(`healthz during: store.writable=${String(store?.writable)}`);
      return;
    }
    case 'pcap-end':
      // The fault is the end itself: the edge exits when the capture is read (drainEdges checks how).
      return;
    case 'stale-will': {
      const victim = ctx.loadProbes.find((p) => p.probe === 'victim')!;
      ctx.loadEdges.get(victim)!.signal('SIGKILL');
      await ctx.loadEdges.get(victim)!.exited;
      ctx.loadEdges.delete(victim);
      await until(() => offlineStatusStored(d.sqlitePath, victim), 'the victim\'s Last Will stored', 60);
      // Past the prune horizon, and two sweeps later: the seen-id prune has run over it.
      await sleep((profile.stale_after_s + 5) * 1000);
      const before = await d.healthz();
      await d.collector!.stop('SIGTERM', 60_000);
      await d.startCollector();
      await sleep(3000);
      const after = await d.healthz();
      const ingest = (h: Record<string, unknown> | null) => (h?.ingest ?? {}) as { retained_redeliveries?: number; rejected_by_reason?: Record<string, number> };
      ctx.notes.push(`after the restart: retained_redeliveries=${ingest(after).retained_redeliveries ?? '?'}, rejected=${JSON.stringify(ingest(after).rejected_by_reason ?? {})} (before: ${ingest(before).retained_redeliveries ?? '?'})`);
      return;
    }
  }
}

function offlineStatusStored(sqlitePath: string, p: SoakProbe): boolean {
  if (!existsSync(sqlitePath)) return false;
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) FROM probe_status WHERE site = ? AND probe = ? AND state = 'offline'").pluck().get(p.site, p.probe) as number) > 0;
  } finally {
    db.close();
  }
}

export async function runRow(spec: SoakRowSpec, profile: SoakProfile, options: { capture: string | null; log?: (line: string) => void; keep?: boolean }): Promise<SoakRow> {
  const log = options.log ?? (() => undefined);
  const t0 = Date.now();
  const label = rowLabel(spec, profile);
  const loadNames = spec.fault === 'pcap-end' ? [] : Array.from({ length: profile.edges }, (_, i) => `e${i + 1}`);
  if (spec.fault === 'stale-will') loadNames.push('victim');
  const cliNames = spec.fault === 'pcap-end' || spec.fault === 'edge-kill9' ? ['cli'] : [];
  const collector = spec.fault === 'stale-will' ? { ingest: { max_age_s: profile.stale_after_s }, retention: { sweep_interval_s: 2 } } : undefined;
  const d = await Deployment.create({ broker: spec.broker, probes: [...loadNames, ...cliNames], collector, label: `${spec.fault}-${spec.rate}` });
  const ctx: RowContext = {
    d, profile, spec, tuning: tuningFor(spec.rate, profile), capture: options.capture,
    loadProbes: d.probes.filter((p) => loadNames.includes(p.probe)),
    loadEdges: new Map(), cliEdges: new Map(), notes: [], log,
  };
  let failed = true;
  try {
    log(`${label}, ${spec.rate} rate: starting`);
    // The collector first: mosquitto keeps messages for the collector's session only once it exists
    // (what probes publish before the collector ever subscribed is acknowledged and dropped).
    await d.startCollector();
    if (spec.fault === 'stale-will') {
      // The victim only keeps its status (and Last Will) on the broker; the others carry the stream.
      const perEdge = profile.rates[spec.rate] / profile.edges;
      for (const p of ctx.loadProbes) ctx.loadEdges.set(p, d.startLoadEdge(p, ctx.tuning, p.probe === 'victim' ? 0 : perEdge, profile.detection_every));
    } else startLoadEdges(ctx);
    for (const p of d.probes.filter((q) => cliNames.includes(q.probe))) {
      if (ctx.capture === null) throw new Error('soak: this row needs a capture');
      startCliEdge(ctx, p, 'pcap', 'run');
    }
    if (ctx.loadEdges.size > 0) await waitLoadEdgesPublishing(ctx);
    await sleep(profile.warmup_s * 1000);
    for (const [i, fault] of [spec.fault, ...(spec.then ?? [])].entries()) {
      if (i > 0) await sleep(profile.after_s * 1000);
      log(`  fault: ${FAULT_LABELS[fault]}`);
      await injectFault(ctx, fault);
    }
    await sleep(profile.after_s * 1000);
    log('  draining');
    await drainEdges(ctx);
    await waitStored(ctx, d.probes);
    const exit = await d.collector!.stop('SIGTERM', 60_000);
    if (exit.code !== 0) ctx.notes.push(`collector final stop exit ${exit.code ?? exit.signal}`);
    const books = d.probes.map((p) => closeBooks(d.sqlitePath, p));
    const sum = (f: (b: ProbeBooks) => number) => books.reduce((a, b) => a + f(b), 0);
    for (const b of books) if (b.foreign > 0) ctx.notes.push(`${b.probe}: ${b.foreign} stored seqs above the outbox's last seq`);
    const limit = KNOWN_LIMITS[spec.fault];
    if (limit !== undefined && sum((b) => b.lost) > 0) ctx.notes.push(limit);
    const row: SoakRow = {
      ...spec, label, msgs_per_s: spec.fault === 'pcap-end' ? 0 : profile.rates[spec.rate],
      sent: sum((b) => b.sent), stored: sum((b) => b.stored), lost: sum((b) => b.lost), duplicated: sum((b) => b.duplicated),
      dropped: sum((b) => b.dropped), redelivered: sum((b) => b.redelivered),
      duration_s: Math.round((Date.now() - t0) / 1000), notes: ctx.notes, probes: books,
    };
    log(`  ${formatRowLine(row)}`);
    failed = false;
    return row;
  } finally {
    if (failed) log(`  row failed; collector output: ${d.collector?.output().slice(-1500) ?? ''}`);
    await d.close(options.keep ?? false);
  }
}

export function formatRowLine(r: SoakRow): string {
  return `${r.label} | ${r.rate} | sent ${r.sent} | stored ${r.stored} | lost ${r.lost} | duplicated ${r.duplicated} | dropped ${r.dropped} | redelivered ${r.redelivered}${r.notes.length ? ` | ${r.notes.join('; ')}` : ''}`;
}

/** Whether a row met the target (0 lost, 0 duplicated), known limits aside. */
export function rowPassed(r: SoakRow): boolean {
  return r.duplicated === 0 && (r.lost === 0 || KNOWN_LIMITS[r.fault] !== undefined);
}

/** The table as markdown (¹: a known limit, KNOWN_LIMITS). */
export function formatTable(rows: SoakRow[]): string {
  const head = '| fault | rate | sent | stored | lost | duplicated | dropped by policy | redelivered (deduped) |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|';
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = (r: SoakRow) => (r.fault === 'pcap-end' ? `${r.rate} (drain ${r.rate === 'full' ? '2000' : '20'}/s)` : `${r.rate} (${n(r.msgs_per_s)}/s)`);
  return [head, sep, ...rows.map((r) => `| ${r.label}${KNOWN_LIMITS[r.fault] === undefined ? '' : ' ¹'} | ${rate(r)} | ${n(r.sent)} | ${n(r.stored)} | ${n(r.lost)} | ${n(r.duplicated)} | ${n(r.dropped)} | ${n(r.redelivered)} |`)].join('\n');
}

export async function runSoak(profile: SoakProfile, rows: SoakRowSpec[], options: { log?: (line: string) => void; keep?: boolean } = {}): Promise<SoakRow[]> {
  await prepareLoadEdge();
  const needsCapture = rows.some((r) => r.fault === 'pcap-end' || r.fault === 'edge-kill9');
  const capture = needsCapture ? await makeCapture(profile) : null;
  const results: SoakRow[] = [];
  try {
    for (const spec of rows) results.push(await runRow(spec, profile, { capture: capture?.path ?? null, log: options.log, keep: options.keep }));
  } finally {
    killAllChildren();
    if (capture) rmSync(capture.dir, { recursive: true, force: true });
  }
  return results;
}
