/**
 * Caps MQTT packet sizes on a connection before the broker's parser sees the bytes. aedes (and
 * mqtt-packet under it) buffers a whole packet before parsing it, with no limit, so one unauthenticated
 * client announcing a 255 MB CONNECT could make the collector hold 255 MB. This guard reads only the
 * fixed headers (packet type + Remaining Length, MQTT 3.1.1 §2.2) as the bytes flow by, and refuses:
 * - a first packet (the CONNECT) larger than `max_connect_bytes`;
 * - any other packet larger than `max_packet_bytes`;
 * - more than `max_preauth_bytes` in total before the broker has authenticated the client.
 * `GuardedConnection` wraps a socket (TCP or TLS) with this guard as the duplex stream aedes handles.
 * Must not parse packet bodies or make authentication decisions.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { fail, ok, type Result } from '@simhound/protocol';

export interface FrameLimits {
  max_connect_bytes: number;
  max_packet_bytes: number;
  max_preauth_bytes: number;
}

export type FrameViolation = 'connect_too_large' | 'packet_too_large' | 'preauth_too_large' | 'bad_length';

/** Incremental reader of MQTT fixed headers over a byte stream. */
export class MqttFrameMeter {
  private bodyLeft = 0;
  private readingLength = false;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private packets = 0;
  private preauthBytes = 0;

  constructor(private readonly limits: FrameLimits) {}

  /** Account for `chunk`; `authenticated` tells which limits apply. */
  feed(chunk: Uint8Array, authenticated: boolean): Result<true, FrameViolation> {
    if (!authenticated) {
      this.preauthBytes += chunk.length;
      if (this.preauthBytes > this.limits.max_preauth_bytes) return fail('preauth_too_large', `${this.preauthBytes} bytes before authentication`);
    }
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        continue;
      }
      if (!this.readingLength) {
        i += 1; // packet type and flags
        this.readingLength = true;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      const b = chunk[i]!;
      i += 1;
      this.length += (b & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if ((b & 0x80) !== 0) {
        if (this.lengthBytes >= 4) return fail('bad_length', 'Remaining Length longer than 4 bytes');
        continue;
      }
      this.readingLength = false;
      const first = this.packets === 0;
      this.packets += 1;
      if (first && this.length > this.limits.max_connect_bytes) return fail('connect_too_large', `CONNECT of ${this.length} bytes`);
      if (!first && this.length > this.limits.max_packet_bytes) return fail('packet_too_large', `packet of ${this.length} bytes`);
      this.bodyLeft = this.length;
    }
    return ok(true);
  }
}

/**
 * A socket seen through the frame guard: reads pass the meter (a violation destroys the connection
 * before the bytes reach the parser), writes go straight to the socket.
 */
export class GuardedConnection extends Duplex {
  /** Set by the broker once the CONNECT is authenticated; the larger packet limit applies from then on. */
  authenticated = false;
  private readonly meter: MqttFrameMeter;

  constructor(readonly socket: Socket, limits: FrameLimits, onViolation: (reason: FrameViolation, detail: string) => void) {
    super({ allowHalfOpen: false });
    this.meter = new MqttFrameMeter(limits);
    socket.on('data', (chunk: Buffer) => {
      const checked = this.meter.feed(chunk, this.authenticated);
      if (!checked.ok) {
        onViolation(checked.reason, checked.detail ?? '');
        this.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (e) => this.destroy(e));
    socket.on('close', () => this.destroy());
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.socket.cork();
    for (let i = 0; i < chunks.length - 1; i += 1) this.socket.write(chunks[i]!.chunk);
    this.socket.write(chunks[chunks.length - 1]!.chunk, callback);
    this.socket.uncork();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
