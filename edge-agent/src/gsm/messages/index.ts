/**
 * The one list of L3 message decoders. Adding a message type = one new file + one line here.
 */
import type { L3MessageDecoder } from './types.js';

export const MESSAGE_DECODERS: readonly L3MessageDecoder[] = [];
