/**
 * Fox-hunt feedback from the uplink level: how fast the buzzer ticks and which LED is lit.
 * Ticks speed up exponentially from one per second at `quiet_dbm` to one per 50 ms at `near_dbm`;
 * below `silent_dbm` the buzzer stays quiet. Pure functions: rotator.ts drives the pins.
 */
export interface FoxHuntLevels {
  silent_dbm: number;
  quiet_dbm: number;
  near_dbm: number;
}

export const DEFAULT_FOX_HUNT_LEVELS: FoxHuntLevels = { silent_dbm: -95, quiet_dbm: -85, near_dbm: -40 };

export const SLOWEST_TICK_MS = 1000;
export const FASTEST_TICK_MS = 50;

/** Milliseconds between buzzer ticks for a level, or null for silence. */
export function tickIntervalMs(level_dbm: number | null, levels: FoxHuntLevels = DEFAULT_FOX_HUNT_LEVELS): number | null {
  if (level_dbm === null || !Number.isFinite(level_dbm) || level_dbm < levels.silent_dbm) return null;
  const t = Math.max(0, Math.min(1, (level_dbm - levels.quiet_dbm) / (levels.near_dbm - levels.quiet_dbm)));
  return Math.round(SLOWEST_TICK_MS * (FASTEST_TICK_MS / SLOWEST_TICK_MS) ** t);
}

export type KitState = 'ok' | 'searching' | 'den_near' | 'error';

export function kitState(sweeping: boolean, level_dbm: number | null, connected: boolean, levels: FoxHuntLevels = DEFAULT_FOX_HUNT_LEVELS): KitState {
  if (!connected) return 'error';
  if (sweeping) return 'searching';
  if (level_dbm !== null && level_dbm >= levels.near_dbm) return 'den_near';
  return 'ok';
}
