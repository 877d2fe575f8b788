/**
 * Line framing for AT traffic: serialport's RegexParser split on CR and/or LF (modems end responses
 * with CR LF, but an echoed command ends with CR alone), with a cap on the unterminated remainder so a
 * line-noise flood without line ends cannot grow memory; overflows are counted and discarded.
 * Must not: interpret lines (at-engine.ts does).
 */
import { RegexParser } from 'serialport';

export class BoundedLineParser extends RegexParser {
  overflows = 0;

  constructor(private readonly maxLength = 4096) {
    super({ regex: /\r\n|\r|\n/, encoding: 'utf8' });
  }

  override _transform(chunk: string, encoding: BufferEncoding, cb: (error?: Error | null) => void): void {
    super._transform(chunk, encoding, (err?: Error | null) => {
      if (this.data.length > this.maxLength) {
        this.data = '';
        this.overflows++;
      }
      cb(err);
    });
  }

  /** Forget a partial line (after a reconnect the next bytes start fresh). */
  reset(): void {
    this.data = '';
  }
}
