/**
 * The partition proxy against a real TCP echo server on loopback: bytes pass both ways; while cut,
 * nothing passes and nothing is closed on either side; the restore delivers the held bytes in order;
 * a connection opened during the cut is dropped at the restore; a close during the cut reaches the
 * other side only after the restore.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../src/tcp-proxy.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An echo server that also records what each connection received and whether it was closed. */
async function echoServer(): Promise<{ port: number; closes: () => number; received: () => string }> {
  let closes = 0;
  let received = '';
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => {
      received += d.toString();
      s.write(d);
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      closes += 1;
      sockets.delete(s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, closes: () => closes, received: () => received };
}

async function proxyTo(port: number): Promise<TcpProxy> {
  const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port } });
  cleanups.push(() => proxy.close());
  return proxy;
}

function client(port: number): Promise<{ socket: Socket; text: () => string; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let closed = false;
    const socket = connect({ host: '127.0.0.1', port }, () => resolve({ socket, text: () => text, closed: () => closed }));
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', reject);
    cleanups.push(() => void socket.destroy());
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('tcp proxy', () => {
  it('forwards both ways', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port);
    const c = await client(proxy.port);
    c.socket.write('hello');
    await until(() => c.text() === 'hello', 'the echo');
    expect(proxy.stats()).toMatchObject({ accepted: 1, open: 1, bytes_to_target: 5, bytes_from_target: 5 });
  });

  it('holds everything while cut, closes nothing, and delivers in order after the restore', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port);
    const c = await client(proxy.port);
    c.socket.write('a');
    await until(() => c.text() === 'a', 'the first echo');
    proxy.cut();
    c.socket.write('b');
    c.socket.write('c');
    await sleep(300);
    expect(echo.received()).toBe('a');
    expect(c.text()).toBe('a');
    expect(c.closed()).toBe(false);
    expect(echo.closes()).toBe(0);
    proxy.restore();
    await until(() => c.text() === 'abc', 'the held bytes');
    expect(echo.received()).toBe('abc');
  });

  it('drops a connection opened during the cut at the restore; a new one works', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port);
    proxy.cut();
    const during = await client(proxy.port);
    during.socket.write('lost');
    await sleep(200);
    expect(echo.received()).toBe('');
    proxy.restore();
    await until(() => during.closed(), 'the connection from the cut dropped');
    expect(echo.received()).toBe('');
    const after = await client(proxy.port);
    after.socket.write('ok');
    await until(() => after.text() === 'ok', 'a connection after the restore');
    expect(proxy.stats().dropped_during_cut).toBe(1);
  });

  it('passes a close made during the cut only after the restore', async () => {
    const echo = await echoServer();
    const proxy = await proxyTo(echo.port);
    const c = await client(proxy.port);
    c.socket.write('x');
    await until(() => echo.received() === 'x', 'the first bytes');
    proxy.cut();
    c.socket.destroy();
    await sleep(300);
    expect(echo.closes()).toBe(0);
    proxy.restore();
    await until(() => echo.closes() === 1, 'the close after the restore');
    await until(() => proxy.stats().open === 0, 'the pair forgotten');
  });
});
