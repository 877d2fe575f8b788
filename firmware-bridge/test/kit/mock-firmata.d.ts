declare module 'mock-firmata' {
  import type { EventEmitter } from 'node:events';
  export class Firmata extends EventEmitter {
    constructor(options?: Record<string, unknown>);
    [method: string]: unknown;
  }
}
