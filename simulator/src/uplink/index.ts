export * from './shadowing-field.js';
export * from './uplink-channel.js';
export * from './uplink-bursts.js';
export * from './fox-hunt-walker.js';
