export * from './gsm-air-timing.js';
export * from './gmsk-modulator.js';
export * from './sch-encoder.js';
export * from './iq-scene.js';
export * from './iq-writer.js';
