/** Message ids: UUIDv7 (time-ordered, so ids sort by creation time and index well). */
import { v7 as uuidv7 } from 'uuid';

export function newMessageId(now_ms: number = Date.now()): string {
  return uuidv7({ msecs: now_ms });
}

/** Millisecond timestamp embedded in a UUIDv7. */
export function messageIdTime(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
