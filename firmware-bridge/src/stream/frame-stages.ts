/**
 * The probe MCU's receive path as small stream stages, each testable alone and piped together:
 *   bytes → FrameSplitter (serialport's DelimiterParser on 0x00, bounded) → CobsDecodeStage
 *         → CrcCheckStage → FrameDecodeStage → typed DeviceFrame objects.
 * A stage that rejects a frame counts the reason in the shared counter and drops it; the next 0x00
 * resynchronises the stream, so garbage costs at most the frame it hit.
 * Must not: interpret frames (the client does) or write to the port.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { DelimiterParser } from 'serialport';
import type { ReasonCounter } from '@simhound/protocol';
import { cobsDecode } from '../protocol/cobs.js';
import { crc16, decodeDeviceFrame } from '../protocol/frames.js';

export type FrameRejection = 'oversize' | 'bad_cobs' | 'too_short' | 'bad_crc' | 'unknown_frame_type' | 'bad_frame_length';

/** Largest encoded frame the firmware sends (report: 56 bytes + COBS overhead); anything longer is garbage. */
export const MAX_ENCODED_FRAME = 64;

export class FrameSplitter extends DelimiterParser {
  constructor(private readonly rejects: ReasonCounter<FrameRejection>, private readonly maxLength = MAX_ENCODED_FRAME) {
    super({ delimiter: [0], includeDelimiter: false });
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, cb: TransformCallback): void {
    super._transform(chunk, encoding, (err?: Error | null) => {
      if (this.buffer.length > this.maxLength) {
        this.buffer = Buffer.alloc(0);
        this.rejects.add('oversize');
      }
      cb(err);
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (Buffer.isBuffer(chunk) && chunk.length > this.maxLength) {
      this.rejects.add('oversize');
      return true;
    }
    return super.push(chunk, encoding);
  }

  reset(): void {
    this.buffer = Buffer.alloc(0);
  }
}

export class CobsDecodeStage extends Transform {
  constructor(private readonly rejects: ReasonCounter<FrameRejection>) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    const decoded = cobsDecode(chunk);
    if (decoded === null) this.rejects.add('bad_cobs');
    else this.push(decoded);
    cb();
  }
}

export class CrcCheckStage extends Transform {
  constructor(private readonly rejects: ReasonCounter<FrameRejection>) {
    super({ objectMode: true });
  }

  override _transform(frame: Uint8Array, _e: BufferEncoding, cb: TransformCallback): void {
    if (frame.length < 4) this.rejects.add('too_short');
    else {
      const body = frame.subarray(0, frame.length - 2);
      const sent = (frame[frame.length - 2]! << 8) | frame[frame.length - 1]!;
      if (crc16(body) !== sent) this.rejects.add('bad_crc');
      else this.push(body);
    }
    cb();
  }
}

export class FrameDecodeStage extends Transform {
  constructor(private readonly rejects: ReasonCounter<FrameRejection>) {
    super({ objectMode: true });
  }

  override _transform(body: Uint8Array, _e: BufferEncoding, cb: TransformCallback): void {
    const r = decodeDeviceFrame(body);
    if (r.ok) this.push(r.value);
    else this.rejects.add(r.reason);
    cb();
  }
}

/** The four stages piped together; write bytes into `input`, read DeviceFrames from `output`. */
export function createFramePipeline(rejects: ReasonCounter<FrameRejection>): { input: FrameSplitter; output: FrameDecodeStage } {
  const input = new FrameSplitter(rejects);
  const output = input.pipe(new CobsDecodeStage(rejects)).pipe(new CrcCheckStage(rejects)).pipe(new FrameDecodeStage(rejects));
  return { input, output };
}
