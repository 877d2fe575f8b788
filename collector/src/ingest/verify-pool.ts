/**
 * Ed25519 signature checks on worker threads, so the event loop (MQTT, SQLite, HTTP) is not spent on
 * the most expensive step of ingest. The main thread parses and canonicalises (check-message.ts
 * precheck); a worker gets only bytes — the signed text, the signature, the probe's raw public key —
 * and answers true/false, in batches (one postMessage per event-loop turn, not per message).
 *
 * The worker code is a short plain-JS string (node:crypto only), so it runs the same from the
 * TypeScript sources (tests) and from the bundle (production) without a separate build entry.
 * Must not parse payloads or look at the store.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { signingBytes, verifyEnvelope, type ParsedEnvelope } from '@simhound/protocol';
import type { RegisteredProbe } from './probe-registry.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ id, items }) => {
  const out = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i += 1) {
    const it = items[i];
    let key = keys.get(it.k);
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.from(it.k, 'base64url'), format: 'der', type: 'spki' });
      keys.set(it.k, key);
    }
    try {
      out[i] = it.s.length === 64 && verify(null, it.b, key, it.s) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

interface Job {
  bytes: Buffer;
  sig: Buffer;
  keyDer: string;
  resolve(ok: boolean): void;
  /** The same check on this thread, for when a worker dies with the job. */
  here(): boolean;
}

/** How many worker threads `threads: 'auto'` means: one core is left to the event loop. */
export function autoVerifyThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Job[]>();
  private queue: Job[] = [];
  private nextWorker = 0;
  private nextBatch = 1;
  private scheduled = false;
  private readonly derByKey = new WeakMap<KeyObject, string>();
  private closed = false;

  constructor(threads: number, private readonly maxBatch = 256) {
    for (let i = 0; i < threads; i += 1) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.unref();
      w.on('message', ({ id, out }: { id: number; out: Uint8Array }) => {
        const jobs = this.pending.get(id);
        this.pending.delete(id);
        jobs?.forEach((job, k) => job.resolve(out[k] === 1));
      });
      w.on('error', () => {
        // A crashed worker must not cost a message: its jobs are verified on this thread instead.
        for (const [id, jobs] of this.pending) {
          this.pending.delete(id);
          for (const job of jobs) job.resolve(job.here());
        }
      });
      this.workers.push(w);
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Verify on a worker; resolves true when the signature is valid. Falls back to the main thread when the pool is closed. */
  verify(env: ParsedEnvelope, probe: RegisteredProbe): Promise<boolean> {
    if (this.closed || this.workers.length === 0) return Promise.resolve(verifyEnvelope(env, probe.key));
    let der = this.derByKey.get(probe.key);
    if (der === undefined) {
      der = (probe.key.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64url');
      this.derByKey.set(probe.key, der);
    }
    const keyDer = der;
    return new Promise<boolean>((resolve) => {
      this.queue.push({ bytes: signingBytes(env), sig: Buffer.from(env.sig, 'base64url'), keyDer, resolve, here: () => verifyEnvelope(env, probe.key) });
      if (this.queue.length >= this.maxBatch) this.dispatch();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.dispatch());
      }
    });
  }

  private dispatch(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const jobs = this.queue.splice(0, this.maxBatch);
      const id = this.nextBatch++;
      this.pending.set(id, jobs);
      const worker = this.workers[this.nextWorker]!;
      this.nextWorker = (this.nextWorker + 1) % this.workers.length;
      worker.postMessage({ id, items: jobs.map((j) => ({ b: j.bytes, s: j.sig, k: j.keyDer })) });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // Let outstanding batches finish (ingest closes first and waits for its checks).
    const deadline = Date.now() + 2000;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
