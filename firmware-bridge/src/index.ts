export * from './serial/reconnecting-port.js';
export * from './protocol/cobs.js';
export * from './protocol/frames.js';
export * from './stream/frame-stages.js';
export * from './probe-mcu/calibration.js';
export * from './probe-mcu/uplink-activity.js';
export * from './probe-mcu/probe-mcu-client.js';
export * from './kit/index.js';
