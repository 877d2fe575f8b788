/**
 * The simulator's GSM encoders: GSMTAP v2 header, L2 framing, RR messages on BCCH/CCCH (paging,
 * assignments, SI1–4/13, Notification/NCH), system information on the SACCH (SI5/5bis/5ter/6), MM/RR/CC
 * messages on the SDCCH in both directions (first messages, authentication, ciphering, TMSI reallocation,
 * location updating results, CM service results, classmark change, CC Setup, channel release), and the
 * RA byte of a channel request. Every encoder returns a typed result, never throws.
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
export * from './l3-header.js';
export * from './mm-dedicated-messages.js';
export * from './rr-dedicated-messages.js';
export * from './cc-setup.js';
export * from './rr-notification.js';
export * from './rr-sacch-system-information.js';
