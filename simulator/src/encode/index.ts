/**
 * The simulator's GSM encoders: GSMTAP v2 header, L2 framing, RR messages on BCCH/CCCH, MM/RR messages
 * on SDCCH, and the RA byte of a channel request. Every encoder returns a typed result, never throws.
 * Re-exports only.
 */
export * from './encode-result.js';
export * from './writers.js';
export * from './gsmtap.js';
export * from './l2-framing.js';
export * from './identity.js';
export * from './channel.js';
export * from './frequency-list.js';
export * from './cell-parameters.js';
export * from './message-types.js';
export * from './rr-paging.js';
export * from './rr-immediate-assignment.js';
export * from './rr-system-information.js';
export * from './dedicated-messages.js';
export * from './random-access.js';
