/**
 * Loopback ports for services started by tests: pick a free one, wait until one answers.
 * Test-only. Picking a port by binding to 0 and releasing it can race with another process taking
 * the same port before our service binds it; launchers therefore check that their service really
 * listens and fail loudly otherwise, instead of talking to a stranger.
 */
import { createServer, connect } from 'node:net';

/** A TCP port that was free on `host` a moment ago. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the bound port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

function tryConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Resolve when a TCP connect to host:port succeeds; reject after `timeout_ms`.
 * `stillRunning` lets a launcher stop waiting as soon as its process has died.
 */
export async function waitForPort(
  port: number,
  options: { host?: string; timeout_ms?: number; what?: string; stillRunning?: () => string | null } = {},
): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  const deadline = Date.now() + (options.timeout_ms ?? 15_000);
  for (;;) {
    const died = options.stillRunning?.();
    if (died) throw new Error(`${options.what ?? 'service'} exited before listening on ${host}:${port}: ${died}`);
    if (await tryConnect(port, host)) return;
    if (Date.now() > deadline) throw new Error(`${options.what ?? 'service'} did not listen on ${host}:${port} within ${options.timeout_ms ?? 15_000} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
