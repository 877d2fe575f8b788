/**
 * Sends GSMTAP datagrams over UDP to an edge agent (or anything listening on port 4729), the way
 * gr-gsm/osmocom do, with counters of what was sent and what failed.
 *
 * Fire-and-forget like the real sources: a send error (no listener → ICMP port unreachable, buffer
 * full) is counted, never thrown, and the socket stays usable. It must not pace traffic; the simulator
 * clock decides when to send.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { fail, ok, ReasonCounter, type Result } from '@simhound/protocol';
import { GSMTAP_UDP_PORT } from '../encode/gsmtap.js';

export interface UdpSenderOptions {
  /** Destination host or IP. Default 127.0.0.1. */
  readonly host?: string;
  /** Default 4729. */
  readonly port?: number;
}

export interface UdpSenderCounters {
  readonly sent_datagrams: number;
  readonly sent_octets: number;
  /** Sends the socket refused (callback error: EMSGSIZE, ENOBUFS, socket closed …). */
  readonly send_errors: number;
  /**
   * Errors the socket reported later, not tied to one send: ECONNREFUSED when the ICMP "port unreachable"
   * of an earlier datagram comes back (nobody listens on host:port).
   */
  readonly socket_errors: number;
  /** Both kinds of error by error code. */
  readonly errors_by_code: Record<string, number>;
  /** Sends handed to the socket whose callback has not fired yet. */
  readonly in_flight: number;
}

export class GsmtapUdpSender {
  private sentDatagrams = 0;
  private sentOctets = 0;
  private sendErrors = 0;
  private socketErrors = 0;
  private inFlight = 0;
  private readonly errors = new ReasonCounter();
  private idleWaiters: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {
    // Asynchronous socket errors (ICMP unreachable on a connected socket) must not crash the process.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.socketErrors++;
      this.errors.add(error.code ?? 'unknown');
    });
  }

  /** Opens a UDP socket connected to host:port (connected, so sends skip per-datagram resolution). */
  static async open(options: UdpSenderOptions = {}): Promise<Result<GsmtapUdpSender, 'connect_failed'>> {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? GSMTAP_UDP_PORT;
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(port, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      return fail('connect_failed', (error as Error).message);
    }
    return ok(new GsmtapUdpSender(socket));
  }

  get counters(): UdpSenderCounters {
    return {
      sent_datagrams: this.sentDatagrams,
      sent_octets: this.sentOctets,
      send_errors: this.sendErrors,
      socket_errors: this.socketErrors,
      errors_by_code: this.errors.toJSON(),
      in_flight: this.inFlight,
    };
  }

  /** Queues one datagram; the outcome lands in the counters. */
  send(datagram: Uint8Array): void {
    this.inFlight++;
    try {
      this.socket.send(datagram, (error) => this.settle(datagram.length, error));
    } catch (error) {
      // Synchronous failures (socket closed, datagram too large) are counted like asynchronous ones.
      this.settle(datagram.length, error as Error);
    }
  }

  private settle(octets: number, error: Error | null | undefined): void {
    this.inFlight--;
    if (error) {
      this.sendErrors++;
      this.errors.add((error as NodeJS.ErrnoException).code ?? 'unknown');
    } else {
      this.sentDatagrams++;
      this.sentOctets += octets;
    }
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once every queued datagram has been handed to the kernel (or failed). */
  flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<UdpSenderCounters> {
    await this.flush();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
    return this.counters;
  }
}
