export * from './normal.js';
export * from './ta-ring.js';
export * from './bearing.js';
export * from './uplink-rssi.js';
export * from './rssi-bins.js';
export * from './built-up-prior.js';
export * from './locator.js';
export * from './next-best.js';
