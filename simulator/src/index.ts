/** The simulator package: scenario schema and loader, the world, the runner (streaming, captures, live), ground truth, encoders, capture writers. Re-exports only. */
export * from './scenario.js';
export * from './scenario-file.js';
export * from './scenario-check.js';
export * from './truth.js';
export * from './run.js';
export * from './random.js';
export * from './geo.js';
export * from './time/calendar.js';
export * from './world/world.js';
export * from './world/air-events.js';
export * from './world/frames.js';
export * from './world/radio.js';
export * from './world/profiles.js';
export * from './encode/index.js';
export * from './capture/index.js';
export * from './cells-csv.js';
export * from './iq/index.js';
