export * from './serial/reconnecting-port.js';
