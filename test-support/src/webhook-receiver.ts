/**
 * Starts the independent Python webhook receiver (webhook_receiver.py: HMAC-SHA256 check, timestamp
 * window, delivery-id dedupe, written apart from the collector's signing code) on a free loopback port
 * and reads what it accepted and refused. Test-only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireBinary } from './service-process.js';

export interface ReceivedWebhook {
  delivery_id: string;
  timestamp: number;
  event: string | null;
  body: { delivery_id: string; alert: Record<string, unknown> & { alert_id: string; tier: string; event: string } };
}

export interface WebhookReceiver {
  url: string;
  received(): Promise<ReceivedWebhook[]>;
  rejected(): Promise<Array<{ reason: string; delivery_id: string | null; status?: number }>>;
  /** The next `count` deliveries are answered with `status`. */
  failNext(count: number, status: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const python = requireBinary('python3', 'python3');
  const script = fileURLToPath(new URL('./webhook_receiver.py', import.meta.url));
  const child: ChildProcess = spawn(python, [script], { env: { ...process.env, WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`webhook receiver did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`webhook receiver exited (${code}): ${stderr}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const get = async <T>(path: string) => (await (await fetch(`${base}${path}`)).json()) as T;
  return {
    url: `${base}/hook`,
    received: () => get('/_received'),
    rejected: () => get('/_rejected'),
    async failNext(count, status) {
      await fetch(`${base}/_fail?count=${count}&status=${status}`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
