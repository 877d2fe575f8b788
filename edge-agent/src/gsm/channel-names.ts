/**
 * GSMTAP channel numbers → the `GsmChannel` names events carry. A lookup table, nothing else.
 */
import type { GsmChannel } from './events.js';

const NAMES: readonly GsmChannel[] = [
  'unknown', 'bcch', 'ccch', 'rach', 'agch', 'pch', 'sdcch', 'sdcch4', 'sdcch8',
  'tch_f', 'tch_h', 'pacch', 'cbch52', 'pdch', 'ptcch', 'cbch51', 'voice_f', 'voice_h',
];

export function gsmtapChannelName(channel: number): GsmChannel {
  return NAMES[channel] ?? 'unknown';
}
