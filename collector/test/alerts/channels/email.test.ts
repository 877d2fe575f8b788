/**
 * The e-mail channel against a real SMTP server on loopback (the `smtp-server` package) that
 * authenticates the sender and receives the message; the message is parsed back with `mailparser`:
 * addressed, titled and worded as the officer should read it. A refused mailbox is permanent, an
 * unreachable server is worth retrying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { EmailChannel } from '../../../src/index.js';
import { alertMessage, delivery } from '../alert-fixtures.js';

describe('e-mail channel', () => {
  const inbox: Array<{ from: string; to: string[]; mail: ParsedMail; user: string | undefined }> = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true, // loopback test; production uses STARTTLS or port 465
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'simhound' && auth.password === 'mail-secret') cb(null, { user: 'simhound' });
        else cb(new Error('bad credentials'));
      },
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('nobody@')) cb(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
        else cb();
      },
      onData(stream, session, cb) {
        simpleParser(stream).then((mail) => {
          inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), mail, user: session.user as string | undefined });
          cb();
        }, cb);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const channel = (p = port) => new EmailChannel({ host: '127.0.0.1', port: p, secure: false, require_tls: false, username: 'simhound', password: 'mail-secret', from: 'simhound <alerts@unit.example>' }, 'Africa/Maseru', 5000);

  it('sends the alert to the officer\'s inbox with subject, text and headers', async () => {
    const c = channel();
    const d = delivery('email', 'ana', 'ana@police.example');
    const r = await c.deliver(d);
    await c.close();
    expect(r.ok).toBe(true);
    expect(inbox).toHaveLength(1);
    const got = inbox[0]!;
    expect(got.user).toBe('simhound');
    expect(got.to).toEqual(['ana@police.example']);
    expect(got.from).toBe('alerts@unit.example');
    // T0 = 08:00 UTC = 10:00 in Maseru (UTC+2); deadline 30 min later.
    expect(got.mail.subject).toBe('[simhound HIGH] SIM-box den, new alert — -29.84116, 26.95312 ±2214 m (serving cell) — acknowledge by 25/11/2026, 10:30 GMT+2');
    expect(got.mail.headers.get('x-simhound-alert-id')).toBe(d.payload.alert_id);
    expect(got.mail.headers.get('x-simhound-tier')).toBe('high');
    const text = got.mail.text ?? '';
    expect(text).toContain(`HIGH alert ${d.payload.alert_id} (new alert)`);
    expect(text).toContain('  - high: score 0.95 ≥ 0.9');
    expect(text).toContain('  - 651-01-117-11201 TA 3: 1661–2214 m from the cell');
    expect(text).toContain('Detectors: den-candidate@1, machine-regularity@1, mo-mt-asymmetry@2');
    expect(text).toContain(`Case view and case file: ${d.payload.case_url}`);
  });

  it('reports a refused mailbox as permanent and a server that is not there as retryable', async () => {
    const c = channel();
    const refused = await c.deliver(delivery('email', 'x', 'nobody@police.example', alertMessage({ event: 'escalated' })));
    await c.close();
    expect(refused).toMatchObject({ ok: false, permanent: true });
    const gone = channel(1);
    const r = await gone.deliver(delivery('email', 'ana', 'ana@police.example'));
    await gone.close();
    expect(r).toMatchObject({ ok: false, permanent: false });
  });
});
