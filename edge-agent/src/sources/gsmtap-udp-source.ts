/**
 * Live GSMTAP over UDP: binds 127.0.0.1:4729 (configurable) and feeds every datagram to the frame
 * decoder. Several gr-gsm / osmocom instances (one per ARFCN) can send to the same port at once; each
 * sender address:port is its own `source`, so cell state never mixes between instances even when they
 * all report ARFCN 0 (gr-gsm's file input does). Counts datagrams and bytes per sender and the
 * decoder's outcomes; socket errors are logged and counted, never thrown into the caller.
 *
 * It must not transmit anything: the socket only receives.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { fail, ok, silentLogger, type Logger, type Result } from '@simhound/protocol';
import type { GsmEvent } from '../gsm/events.js';
import type { GsmFrameDecoder } from '../gsm/frame-decoder.js';
import type { FrameOutcomeCounts } from '../gsm/frame-outcome.js';
import { GSMTAP_UDP_PORT } from '../gsm/gsmtap.js';

export interface GsmtapUdpSourceOptions {
  decoder: GsmFrameDecoder;
  onEvent: (event: GsmEvent) => void;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4729; 0 picks a free port (tests). */
  port?: number;
  /** Kernel receive buffer; bursts from several instances need more than the default. Default 4 MiB. */
  receiveBufferBytes?: number;
  log?: Logger;
}

export interface SenderStats {
  datagrams: number;
  bytes: number;
  first_ts_ms: number;
  last_ts_ms: number;
}

export interface GsmtapUdpSourceStats {
  listening: boolean;
  address: string | null;
  port: number | null;
  datagrams: number;
  bytes: number;
  socket_errors: number;
  senders: Record<string, SenderStats>;
  outcomes: FrameOutcomeCounts;
  events: number;
}

export type UdpBindError = 'bind_failed' | 'already_started';

export class GsmtapUdpSource {
  private socket: Socket | null = null;
  private readonly senders = new Map<string, SenderStats>();
  private datagrams = 0;
  private bytes = 0;
  private socketErrors = 0;
  private events = 0;
  private readonly log: Logger;
  private bound: { address: string; port: number } | null = null;

  constructor(private readonly options: GsmtapUdpSourceOptions) {
    this.log = (options.log ?? silentLogger).child('gsmtap-udp');
  }

  /** Bind and start receiving. Resolves with the bound address (useful with port 0). */
  start(): Promise<Result<{ address: string; port: number }, UdpBindError>> {
    if (this.socket !== null) return Promise.resolve(fail('already_started'));
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? GSMTAP_UDP_PORT;
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    this.socket = socket;
    const { decoder, onEvent } = this.options;
    const emit = (e: GsmEvent) => {
      this.events++;
      onEvent(e);
    };
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      const now = Date.now();
      this.datagrams++;
      this.bytes += msg.length;
      const source = `udp:${rinfo.address}:${rinfo.port}`;
      let s = this.senders.get(source);
      if (s === undefined) {
        s = { datagrams: 0, bytes: 0, first_ts_ms: now, last_ts_ms: now };
        this.senders.set(source, s);
        this.log.info('new GSMTAP sender', { source });
      }
      s.datagrams++;
      s.bytes += msg.length;
      s.last_ts_ms = now;
      decoder.decode(msg, 0, msg.length, now, source, emit);
    });
    return new Promise((resolve) => {
      const onError = (err: Error) => {
        this.socketErrors++;
        this.log.error('cannot bind GSMTAP UDP socket', { host, port, error: err.message });
        this.socket = null;
        socket.close();
        resolve(fail('bind_failed', err.message));
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        socket.on('error', (err) => {
          this.socketErrors++;
          this.log.warn('GSMTAP UDP socket error', { error: err.message });
        });
        try {
          socket.setRecvBufferSize(this.options.receiveBufferBytes ?? 4 << 20);
        } catch (err) {
          this.log.warn('could not raise the UDP receive buffer', { error: (err as Error).message });
        }
        const a = socket.address();
        this.bound = { address: a.address, port: a.port };
        this.log.info('listening for GSMTAP', this.bound);
        resolve(ok(this.bound));
      });
    });
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.bound = null;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  stats(): GsmtapUdpSourceStats {
    const senders: Record<string, SenderStats> = {};
    for (const [k, v] of this.senders) senders[k] = { ...v };
    return {
      listening: this.socket !== null,
      address: this.bound?.address ?? null,
      port: this.bound?.port ?? null,
      datagrams: this.datagrams,
      bytes: this.bytes,
      socket_errors: this.socketErrors,
      senders,
      outcomes: this.options.decoder.stats().outcomes,
      events: this.events,
    };
  }
}
