export * from './bearing.js';
export * from './fox-hunt.js';
export * from './rotator.js';
