/** The small part of johnny-five 2.1 the rotator kit uses (the package ships no types). */
declare module 'johnny-five' {
  import type { EventEmitter } from 'node:events';
  export interface BoardOptions {
    io?: unknown;
    port?: string | object;
    repl?: boolean;
    debug?: boolean;
    timeout?: number;
  }
  export class Board extends EventEmitter {
    constructor(options?: BoardOptions);
    io: { close?: () => void; transport?: { close?: (cb?: () => void) => void } } & Record<string, unknown>;
    isReady: boolean;
  }
  export class Servo {
    constructor(options: { pin: number; range?: [number, number]; startAt?: number; board?: Board; pwmRange?: [number, number] });
    to(degrees: number, ms?: number): this;
    readonly value: number;
  }
  export class Led {
    constructor(options: number | { pin: number; board?: Board });
    on(): this;
    off(): this;
    blink(ms?: number): this;
    stop(): this;
    readonly isOn: boolean;
  }
  const five: { Board: typeof Board; Servo: typeof Servo; Led: typeof Led };
  export default five;
}
