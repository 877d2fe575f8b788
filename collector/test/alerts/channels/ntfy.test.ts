/**
 * The ntfy channel against a local HTTP endpoint that speaks ntfy's publish API (POST /<topic>, the
 * message as body, Title/Priority/Tags/Click headers, Bearer token; answers the message as JSON), as a
 * self-hosted ntfy server does: the push arrives with the officer's topic, the tier's priority, the
 * title (RFC 2047 for non-ASCII) and the case link; a refused token is permanent, 5xx retryable.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValue, NtfyChannel } from '../../../src/index.js';
import { alertMessage, delivery } from '../alert-fixtures.js';

interface Push { topic: string; title: string; priority: string; tags: string; click: string | undefined; auth: string | undefined; message: string }

/** RFC 2047 "B" decoding, as ntfy does for header values. */
function decodeHeader(v: string): string {
  const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/i.exec(v);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : v;
}

describe('ntfy channel', () => {
  const pushes: Push[] = [];
  let server: Server;
  let url = '';
  let failWith: number | null = null;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const topic = decodeURIComponent((req.url ?? '/').slice(1));
        if (req.method !== 'POST' || !/^[A-Za-z0-9_-]{1,64}$/.test(topic)) {
          res.writeHead(400).end();
          return;
        }
        if (req.headers.authorization !== 'Bearer tk_officerpush') {
          res.writeHead(403, { 'content-type': 'application/json' }).end('{"code":40301,"http":403,"error":"forbidden"}');
          return;
        }
        if (failWith !== null) {
          res.writeHead(failWith).end();
          failWith = null;
          return;
        }
        const push: Push = {
          topic, title: decodeHeader(String(req.headers.title)), priority: String(req.headers.priority), tags: String(req.headers.tags),
          click: req.headers.click as string | undefined, auth: req.headers.authorization, message: Buffer.concat(chunks).toString('utf8'),
        };
        pushes.push(push);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `m${pushes.length}`, time: Math.floor(Date.now() / 1000), event: 'message', topic, title: push.title, message: push.message, priority: Number(push.priority) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('pushes to the officer\'s topic with the tier\'s priority, the title and the case link', async () => {
    const c = new NtfyChannel(url, 'tk_officerpush', 'Africa/Maseru', 5000);
    const d = delivery('ntfy', 'ana', 'simhound-ana');
    expect(await c.deliver(d)).toEqual({ ok: true, detail: 'ntfy message m1' });
    expect(pushes[0]).toMatchObject({ topic: 'simhound-ana', priority: '5', tags: 'rotating_light,simhound', click: d.payload.case_url });
    expect(pushes[0]!.title).toMatch(/^\[simhound HIGH\] SIM-box den, new alert — /);
    expect(pushes[0]!.message).toContain('Why this tier:');
    await c.deliver(delivery('ntfy', 'ana', 'simhound-ana', alertMessage({ tier: 'low' })));
    expect(pushes[1]!.priority).toBe('3');
  });

  it('encodes non-ASCII titles so they survive the header', () => {
    expect(headerValue('plain')).toBe('plain');
    expect(decodeHeader(headerValue('[simhound HIGH] — Maseru'))).toBe('[simhound HIGH] — Maseru');
  });

  it('treats a refused token as permanent and a 5xx as retryable', async () => {
    expect(await new NtfyChannel(url, 'tk_wrong', 'UTC', 5000).deliver(delivery('ntfy', 'ana', 'simhound-ana'))).toEqual({ ok: false, permanent: true, error: 'HTTP 403' });
    failWith = 502;
    expect(await new NtfyChannel(url, 'tk_officerpush', 'UTC', 5000).deliver(delivery('ntfy', 'ana', 'simhound-ana'))).toEqual({ ok: false, permanent: false, error: 'HTTP 502' });
  });
});
