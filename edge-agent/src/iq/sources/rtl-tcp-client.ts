/**
 * An rtl_tcp client: connects, checks the 12-byte "RTL0" header, sends the tuning commands, and hands
 * every received sample chunk to `onSamples` synchronously — so when the pipeline is slower than the
 * dongle, the socket is not read, TCP's window closes and rtl_tcp (not this process) holds or drops the
 * excess: memory here stays one chunk. Reconnects with exponential backoff when the server goes away
 * (each reconnect is a discontinuity in the sample stream), and a watchdog turns a connected but silent
 * stream (a hung USB dongle, a wedged server) into a `stall` error; by default that is fatal, so the
 * agent exits non-zero and systemd restarts it and rtl_tcp.
 *
 * It must not interpret samples (the pipeline does) or transmit anything on the air.
 */
import { connect, type Socket } from 'node:net';
import { silentLogger, type Logger } from '@simhound/protocol';
import { RTL_TCP_HEADER_BYTES, encodeCommand, parseDongleInfo, tuningCommands, type RtlTcpDongleInfo, type RtlTcpTuning } from './rtl-tcp-protocol.js';

export type RtlTcpErrorReason = 'connect_failed' | 'bad_header' | 'disconnected' | 'stall' | 'socket_error';

export interface RtlTcpClientOptions {
  host: string;
  port: number;
  tuning: RtlTcpTuning;
  /** Called with every sample chunk, in order; must process it before returning. */
  onSamples: (chunk: Buffer) => void;
  /** The stream restarted (after a reconnect): previous samples and the next ones are not contiguous. */
  onDiscontinuity?: () => void;
  onConnected?: (info: RtlTcpDongleInfo) => void;
  onError?: (reason: RtlTcpErrorReason, detail: string) => void;
  /** Called once when the watchdog gives up (stall with `exit_on_stall`). */
  onFatal?: (reason: RtlTcpErrorReason, detail: string) => void;
  /** No sample bytes for this long while connected → `stall` (default 5 s). */
  stall_timeout_s?: number;
  /** A stall is fatal (default true); otherwise the client reconnects. */
  exit_on_stall?: boolean;
  reconnect_min_s?: number;
  reconnect_max_s?: number;
  connect_timeout_s?: number;
  log?: Logger;
}

export interface RtlTcpClientStats {
  connected: boolean;
  connects: number;
  reconnects: number;
  bytes: number;
  samples: number;
  errors: Record<RtlTcpErrorReason, number>;
  dongle: RtlTcpDongleInfo | null;
  /** Seconds the consumer trails real time on this connection (samples expected at the configured rate − received). */
  lag_s: number;
  last_data_ms: number | null;
}

export class RtlTcpClient {
  private socket: Socket | null = null;
  private stopped = true;
  private header: Buffer[] = [];
  private headerBytes = 0;
  private streaming = false;
  private backoff: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private connectionStartMs = 0;
  private connectionBytes = 0;
  private fatal = false;
  private readonly log: Logger;
  private tuning: RtlTcpTuning;
  readonly stats: RtlTcpClientStats = {
    connected: false, connects: 0, reconnects: 0, bytes: 0, samples: 0,
    errors: { connect_failed: 0, bad_header: 0, disconnected: 0, stall: 0, socket_error: 0 },
    dongle: null, lag_s: 0, last_data_ms: null,
  };

  constructor(private readonly options: RtlTcpClientOptions) {
    this.log = (options.log ?? silentLogger).child('rtl_tcp');
    this.backoff = options.reconnect_min_s ?? 0.5;
    this.tuning = { ...options.tuning };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
    const stallMs = (this.options.stall_timeout_s ?? 5) * 1000;
    this.watchdog = setInterval(() => this.checkStall(stallMs), Math.max(50, Math.min(1000, stallMs / 4)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.watchdog = null;
    this.reconnectTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
    this.stats.connected = false;
  }

  /** Retune (sent now if connected, and on every reconnect). */
  setFrequency(hz: number): void {
    this.tuning.center_freq_hz = hz;
    if (this.streaming) this.socket?.write(encodeCommand('set_frequency', hz));
  }

  get centerFreqHz(): number {
    return this.tuning.center_freq_hz;
  }

  private open(): void {
    const { host, port } = this.options;
    this.header = [];
    this.headerBytes = 0;
    this.streaming = false;
    const socket = connect({ host, port, noDelay: true });
    this.socket = socket;
    const timeout = setTimeout(() => {
      this.fail('connect_failed', `no connection to ${host}:${port} within ${this.options.connect_timeout_s ?? 5} s`);
      socket.destroy();
    }, (this.options.connect_timeout_s ?? 5) * 1000);
    socket.once('connect', () => {
      clearTimeout(timeout);
      this.stats.connects++;
      this.stats.connected = true;
      this.connectionStartMs = Date.now();
      this.connectionBytes = 0;
      this.stats.last_data_ms = Date.now();
      this.log.info('connected', { host, port });
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (e) => {
      clearTimeout(timeout);
      if (!this.stats.connected) this.fail('connect_failed', `${host}:${port}: ${e.message}`);
      else this.fail('socket_error', e.message);
    });
    socket.on('close', () => {
      clearTimeout(timeout);
      if (this.socket !== socket) return;
      const wasStreaming = this.streaming;
      this.socket = null;
      this.stats.connected = false;
      this.streaming = false;
      if (this.stopped) return;
      if (wasStreaming) this.fail('disconnected', `${host}:${port} closed the stream`);
      this.scheduleReconnect();
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (this.socket !== socket) return;
    this.stats.last_data_ms = Date.now();
    let data = chunk;
    if (!this.streaming) {
      const need = RTL_TCP_HEADER_BYTES - this.headerBytes;
      this.header.push(data.subarray(0, need));
      this.headerBytes += Math.min(need, data.length);
      if (this.headerBytes < RTL_TCP_HEADER_BYTES) return;
      const info = parseDongleInfo(Buffer.concat(this.header));
      if (!info.ok) {
        this.fail('bad_header', info.detail ?? info.reason);
        socket.destroy();
        return;
      }
      this.streaming = true;
      this.stats.dongle = info.value;
      this.backoff = this.options.reconnect_min_s ?? 0.5;
      for (const cmd of tuningCommands(this.tuning)) socket.write(cmd);
      if (this.stats.connects > 1) {
        this.stats.reconnects++;
        this.options.onDiscontinuity?.();
      }
      this.options.onConnected?.(info.value);
      data = data.subarray(need);
      if (data.length === 0) return;
    }
    this.stats.bytes += data.length;
    this.stats.samples = Math.floor(this.stats.bytes / 2);
    this.connectionBytes += data.length;
    const elapsed = (Date.now() - this.connectionStartMs) / 1000;
    this.stats.lag_s = Math.max(0, elapsed - this.connectionBytes / 2 / this.tuning.sample_rate_hz);
    this.options.onSamples(data);
  }

  private checkStall(stallMs: number): void {
    if (this.stopped || this.fatal || !this.stats.connected || this.stats.last_data_ms === null) return;
    const silent = Date.now() - this.stats.last_data_ms;
    if (silent < stallMs) return;
    const detail = `no samples for ${(silent / 1000).toFixed(1)} s from ${this.options.host}:${this.options.port}`;
    this.fail('stall', detail);
    if (this.options.exit_on_stall ?? true) {
      this.fatal = true;
      this.options.onFatal?.('stall', detail);
      return;
    }
    // Reconnect: the server may recover after a fresh connection.
    this.stats.last_data_ms = Date.now();
    this.socket?.destroy();
  }

  private fail(reason: RtlTcpErrorReason, detail: string): void {
    this.stats.errors[reason]++;
    this.log.warn(reason, { detail });
    this.options.onError?.(reason, detail);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.reconnect_max_s ?? 10);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open();
    }, delay * 1000);
  }
}
