/**
 * An rtl_tcp server emulator for tests: speaks the real protocol on loopback (12-byte "RTL0" dongle
 * header, then unsigned 8-bit I/Q; 5-byte big-endian commands from the client), paced like a dongle at
 * the sample rate the client set (or faster), with samples from a callback — a recording, or a
 * simulated scene that depends on the frequency the client tuned to. It can drop the connection
 * mid-stream, stall (stay connected and silent, like a hung USB dongle) and send a bad header.
 * Its command parser is written here, independently of the client's encoder.
 * Test-only; always stop() it.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface EmulatorTuning {
  center_freq_hz: number;
  sample_rate_hz: number;
  /** 0 automatic, 1 manual. */
  gain_mode: number;
  gain_tenth_db: number;
  ppm: number;
  agc: number;
}

export interface ReceivedCommand {
  code: number;
  param: number;
  param_signed: number;
  /** The server's sample counter when the command arrived. */
  at_sample: number;
}

export interface RtlTcpEmulatorOptions {
  /** cu8 bytes for samples [start, start + count) under `tuning`; null = no more data (the server closes). */
  samples: (start: number, count: number, tuning: EmulatorTuning) => Uint8Array | null;
  /** Pace as a multiple of real time (default 1); Infinity sends as fast as the socket drains. */
  speed?: number;
  /** Samples per write (rtl_tcp sends 16 × 16 KiB buffers; default 16384 samples). */
  chunk_samples?: number;
  tuner_type?: number;
  gain_count?: number;
  initial?: Partial<EmulatorTuning>;
  /** Send this instead of the proper header (bad-input tests). */
  header?: Buffer;
}

export class RtlTcpEmulator {
  readonly commands: ReceivedCommand[] = [];
  readonly tuning: EmulatorTuning;
  /** Samples sent over all connections (the dongle's running sample counter). */
  sent = 0;
  connections = 0;
  /** Times a write had to wait for the socket to drain (the client was slower than the stream). */
  drain_waits = 0;
  private server: Server | null = null;
  private client: Socket | null = null;
  private stalled = false;
  private disconnectAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = Buffer.alloc(0);

  constructor(private readonly options: RtlTcpEmulatorOptions) {
    this.tuning = { center_freq_hz: 100e6, sample_rate_hz: 2_048_000, gain_mode: 0, gain_tenth_db: 0, ppm: 0, agc: 0, ...options.initial };
  }

  async start(host = '127.0.0.1'): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('emulator has no port');
    return address.port;
  }

  /** Stop sending samples, keeping the connection open. */
  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
  }

  /** Close the client's connection once `samples` more samples have been sent. */
  disconnectAfter(samples: number): void {
    this.disconnectAt = this.sent + samples;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.client?.destroy();
    this.client = null;
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    // One client at a time, like rtl_tcp.
    if (this.client !== null) {
      socket.destroy();
      return;
    }
    this.connections++;
    this.client = socket;
    socket.setNoDelay(true);
    const header = this.options.header ?? Buffer.alloc(12);
    if (this.options.header === undefined) {
      header.write('RTL0', 0, 'latin1');
      header.writeUInt32BE(this.options.tuner_type ?? 5, 4);
      header.writeUInt32BE(this.options.gain_count ?? 29, 8);
    }
    socket.write(header);
    socket.on('data', (d: Buffer) => this.onCommands(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.client === socket) this.client = null;
      this.pending = Buffer.alloc(0);
    });
    const started = Date.now();
    const startSample = this.sent;
    const tick = () => {
      this.timer = null;
      if (this.client !== socket || socket.destroyed) return;
      this.send(socket, started, startSample);
      if (this.client === socket) this.timer = setTimeout(tick, 5);
    };
    tick();
  }

  private onCommands(d: Buffer): void {
    this.pending = Buffer.concat([this.pending, d]);
    while (this.pending.length >= 5) {
      const code = this.pending[0]!;
      const param = this.pending.readUInt32BE(1);
      const paramSigned = this.pending.readInt32BE(1);
      this.pending = this.pending.subarray(5);
      this.commands.push({ code, param, param_signed: paramSigned, at_sample: this.sent });
      switch (code) {
        case 0x01: this.tuning.center_freq_hz = param; break;
        case 0x02: this.tuning.sample_rate_hz = param; break;
        case 0x03: this.tuning.gain_mode = param; break;
        case 0x04: this.tuning.gain_tenth_db = param; break;
        case 0x05: this.tuning.ppm = paramSigned; break;
        case 0x08: this.tuning.agc = param; break;
        default: break;
      }
    }
  }

  private send(socket: Socket, startedMs: number, startSample: number): void {
    if (this.stalled || socket.writableNeedDrain) {
      if (socket.writableNeedDrain) this.drain_waits++;
      return;
    }
    const speed = this.options.speed ?? 1;
    const chunk = this.options.chunk_samples ?? 16_384;
    const due = Number.isFinite(speed) ? startSample + Math.floor(((Date.now() - startedMs) / 1000) * this.tuning.sample_rate_hz * speed) : this.sent + 8 * chunk;
    while (this.sent < due && !socket.writableNeedDrain && !this.stalled) {
      let n = Math.min(chunk, due - this.sent);
      if (this.disconnectAt !== null) n = Math.min(n, this.disconnectAt - this.sent);
      if (n > 0) {
        const bytes = this.options.samples(this.sent, n, { ...this.tuning });
        if (bytes === null) {
          socket.end();
          return;
        }
        socket.write(bytes);
        this.sent += bytes.length / 2;
      }
      if (this.disconnectAt !== null && this.sent >= this.disconnectAt) {
        this.disconnectAt = null;
        socket.destroy();
        return;
      }
    }
  }
}
