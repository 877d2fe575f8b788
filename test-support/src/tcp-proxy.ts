/**
 * A TCP proxy on loopback that can cut the line and restore it, for partition tests: the edges talk to
 * the broker through it, and `cut()` makes a silent partition the way a dead backhaul does —
 * nothing passes in either direction, nothing is closed or reset, so each side notices only by its
 * own timeouts (MQTT keepalive). `restore()` ends it: bytes and closes that were held on established
 * connections flow on in order (as TCP would retransmit them), while connections opened during the
 * cut are dropped (their SYNs would never have been answered; the client retries).
 * Test-only: no TLS termination, no inspection; it must not be used outside tests.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxyStats {
  /** Connections accepted since start. */
  accepted: number;
  /** Connection pairs open now. */
  open: number;
  /** Connections accepted during a cut and dropped at the restore. */
  dropped_during_cut: number;
  bytes_to_target: number;
  bytes_from_target: number;
  cuts: number;
}

export interface TcpProxy {
  host: string;
  port: number;
  /** mqtt://host:port (or another scheme) pointing at the proxy. */
  url(scheme?: string): string;
  readonly isCut: boolean;
  cut(): void;
  restore(): void;
  stats(): TcpProxyStats;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  target: Socket | null;
  /** Closes seen while the line was cut, applied at the restore. */
  deferred: Array<() => void>;
}

export async function startTcpProxy(options: { target: { host: string; port: number }; host?: string; port?: number }): Promise<TcpProxy> {
  const host = options.host ?? '127.0.0.1';
  const pairs = new Set<Pair>();
  const waiting = new Set<Pair>();
  let cut = false;
  const stats: TcpProxyStats = { accepted: 0, open: 0, dropped_during_cut: 0, bytes_to_target: 0, bytes_from_target: 0, cuts: 0 };

  const forget = (p: Pair) => {
    if (pairs.delete(p)) stats.open = pairs.size;
  };
  const destroyPair = (p: Pair) => {
    p.client.destroy();
    p.target?.destroy();
    forget(p);
  };

  /** Forward `from` → `to` with backpressure; while cut, `from` is paused so nothing is read or sent. */
  const forward = (p: Pair, from: Socket, to: Socket, count: (n: number) => void) => {
    from.on('data', (chunk: Buffer) => {
      count(chunk.length);
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!cut) from.resume();
    });
    // A paused stream still reports its end once its buffer is empty: hold that too.
    from.on('end', () => {
      if (cut) p.deferred.push(() => to.end());
      else to.end();
    });
    // A close or reset of one side reaches the other side only when the line is up.
    from.on('close', (hadError) => {
      const pass = () => {
        if (hadError) to.destroy();
        else to.end();
        if (p.client.destroyed && p.target?.destroyed !== false) forget(p);
      };
      if (cut) p.deferred.push(pass);
      else pass();
    });
    from.on('error', () => undefined);
  };

  const link = (p: Pair) => {
    const target = connect({ host: options.target.host, port: options.target.port });
    p.target = target;
    target.setNoDelay(true);
    forward(p, p.client, target, (n) => (stats.bytes_to_target += n));
    forward(p, target, p.client, (n) => (stats.bytes_from_target += n));
    p.client.resume();
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    stats.accepted += 1;
    client.setNoDelay(true);
    client.on('error', () => undefined);
    const p: Pair = { client, target: null, deferred: [] };
    pairs.add(p);
    stats.open = pairs.size;
    if (cut) {
      waiting.add(p);
      client.on('close', () => {
        waiting.delete(p);
        forget(p);
      });
      return;
    }
    link(p);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port');

  return {
    host,
    port: address.port,
    url: (scheme = 'mqtt') => `${scheme}://${host}:${address.port}`,
    get isCut() {
      return cut;
    },
    cut() {
      if (cut) return;
      cut = true;
      stats.cuts += 1;
      for (const p of pairs) {
        p.client.pause();
        p.target?.pause();
      }
    },
    restore() {
      if (!cut) return;
      cut = false;
      for (const p of [...waiting]) {
        waiting.delete(p);
        stats.dropped_during_cut += 1;
        destroyPair(p);
      }
      for (const p of [...pairs]) {
        const deferred = p.deferred.splice(0);
        p.client.resume();
        p.target?.resume();
        // After the held bytes (resume() delivers them on the next tick).
        if (deferred.length > 0) setImmediate(() => deferred.forEach((d) => d()));
      }
    },
    stats: () => ({ ...stats }),
    async close() {
      for (const p of [...pairs]) destroyPair(p);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
