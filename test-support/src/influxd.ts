/**
 * Starts a real InfluxDB 1.x (`influxd`, Debian's 1.6.7) for a test, plus a tiny test-only HTTP shim
 * in front of it that maps the v2 write path the official client uses onto the v1 one:
 *   POST /api/v2/write?bucket=<db>[/<rp>]&precision=<ns|us|ms|s>  →  POST /write?db=<db>&rp=<rp>&precision=<n|u|ms|s>
 * (1.6.7 answers 404 on /api/v2/*; 1.8+, 2.x and 3.x accept /api/v2/write natively — TOOLCHAIN.md).
 * Every other path is passed through unchanged. Reads go straight to influxd with InfluxQL (`query`).
 *
 * Temp meta/data/wal dirs, free loopback ports (HTTP and the RPC bind address), reporting and the
 * _internal monitor store disabled. Fails clearly when influxd is missing; never skips.
 * Test-only: the shim has no auth and no limits.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { requireBinary, startServiceProcess } from './service-process.js';

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface RunningInfluxd {
  /** influxd's own HTTP API (v1: /query, /write, /ping). */
  influxUrl: string;
  /** The shim: give this to @influxdata/influxdb-client as its url. */
  v2Url: string;
  createDatabase(name: string): Promise<void>;
  /** Run InfluxQL against `db`; returns the series of the first statement (empty when no data). */
  query(db: string, influxql: string): Promise<InfluxSeries[]>;
  /** Rows of a series as objects keyed by column. */
  rows(series: InfluxSeries): Array<Record<string, unknown>>;
  /** Number of write requests the shim forwarded. */
  writesForwarded(): number;
  stop(): Promise<void>;
}

const V2_TO_V1_PRECISION: Record<string, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

function startShim(influxPort: number, onWrite: () => void): Promise<{ server: Server; port: number }> {
  const forward = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const headers = { ...req.headers };
    delete headers.host;
    const upstream = request({ host: '127.0.0.1', port: influxPort, method: req.method, path, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'bad_gateway', message: e.message }));
    });
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shim');
    if (url.pathname !== '/api/v2/write') {
      forward(req, res, `${url.pathname}${url.search}`);
      return;
    }
    const bucket = url.searchParams.get('bucket') ?? '';
    const precision = url.searchParams.get('precision') ?? 'ns';
    const [db, rp] = bucket.split('/', 2);
    const v1Precision = V2_TO_V1_PRECISION[precision];
    if (!db || v1Precision === undefined) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'invalid', message: `shim: bad bucket ${JSON.stringify(bucket)} or precision ${precision}` }));
      return;
    }
    const q = new URLSearchParams({ db, precision: v1Precision });
    if (rp) q.set('rp', rp);
    onWrite();
    forward(req, res, `/write?${q.toString()}`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('shim: no port'));
      else resolve({ server, port: address.port });
    });
  });
}

export async function startInfluxd(): Promise<RunningInfluxd> {
  const influxd = requireBinary('influxd', 'influxdb');
  const dir = mkdtempSync(join(tmpdir(), 'simhound-influxd-'));
  const host = '127.0.0.1';
  const httpPort = await freePort(host);
  const rpcPort = await freePort(host);
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "${host}:${rpcPort}"`,
      '[meta]',
      `  dir = "${join(dir, 'meta')}"`,
      '  logging-enabled = false',
      '[data]',
      `  dir = "${join(dir, 'data')}"`,
      `  wal-dir = "${join(dir, 'wal')}"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[subscriber]',
      '  enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '[http]',
      '  enabled = true',
      `  bind-address = "${host}:${httpPort}"`,
      '  auth-enabled = false',
      '  log-enabled = false',
      '  pprof-enabled = false',
      '',
    ].join('\n'),
  );
  const proc = startServiceProcess(influxd, ['run', '-config', conf]);
  let shim: { server: Server; port: number } | undefined;
  let writes = 0;
  const stopAll = async () => {
    if (shim) await new Promise<void>((r) => shim!.server.close(() => r()));
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(httpPort, { host, what: 'influxd', stillRunning: proc.exitReason, timeout_ms: 20_000 });
    // The port can accept before the HTTP service is ready; /ping answers 204 when it is.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await fetch(`http://${host}:${httpPort}/ping`).catch(() => null);
      if (r?.status === 204) break;
      if (Date.now() > deadline) throw new Error(`influxd /ping did not answer 204: ${proc.output().slice(-1000)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    shim = await startShim(httpPort, () => {
      writes += 1;
    });
  } catch (e) {
    await stopAll();
    throw e;
  }
  const influxUrl = `http://${host}:${httpPort}`;

  const runQuery = async (params: Record<string, string>, method: 'GET' | 'POST') => {
    const body = new URLSearchParams(params);
    const r =
      method === 'POST'
        ? await fetch(`${influxUrl}/query`, { method, body })
        : await fetch(`${influxUrl}/query?${body.toString()}`);
    const json = (await r.json()) as { results?: Array<{ series?: InfluxSeries[]; error?: string }>; error?: string };
    if (!r.ok || json.error || json.results?.[0]?.error) {
      throw new Error(`influx query failed (${r.status}): ${json.error ?? json.results?.[0]?.error}`);
    }
    return json.results?.[0]?.series ?? [];
  };

  return {
    influxUrl,
    v2Url: `http://${host}:${shim.port}`,
    async createDatabase(name) {
      await runQuery({ q: `CREATE DATABASE "${name.replace(/"/g, '')}"` }, 'POST');
    },
    query: (db, influxql) => runQuery({ db, q: influxql, epoch: 'ms' }, 'GET'),
    rows: (series) =>
      series.values.map((row) => {
        const out: Record<string, unknown> = { ...(series.tags ?? {}) };
        series.columns.forEach((c, i) => {
          out[c] = row[i];
        });
        return out;
      }),
    writesForwarded: () => writes,
    stop: stopAll,
  };
}
