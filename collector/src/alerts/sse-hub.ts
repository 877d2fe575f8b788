/**
 * Live alert streams for the web UI (Server-Sent Events): every reader's open page gets every alert
 * change (`alert` events, the alert as JSON); a recipient's pages also get `notification` events (the
 * web channel). Event ids increase; the last 500 events are kept so a page that reconnects with
 * Last-Event-ID misses nothing that is still in the buffer (older: it reloads the list).
 * Must not know about HTTP framing beyond the SSE text format, nor about roles (the routes check them).
 */

export interface StreamSession {
  readonly user: string;
  write(chunk: string): void;
}

interface BufferedEvent {
  id: number;
  event: string;
  data: string;
  /** Only for this user (notifications); null: everyone. */
  user: string | null;
}

const BUFFER_EVENTS = 500;

export function sseFrame(id: number | null, event: string, data: string): string {
  return `${id !== null ? `id: ${id}\n` : ''}event: ${event}\ndata: ${data}\n\n`;
}

export class AlertStreamHub {
  private readonly sessions = new Set<StreamSession>();
  private readonly buffer: BufferedEvent[] = [];
  private nextId = 1;
  private readonly openListeners: Array<(user: string) => void> = [];

  /** Called when a session opens (the web channel tries that user's waiting deliveries). */
  onOpen(listener: (user: string) => void): void {
    this.openListeners.push(listener);
  }

  /** Register a session; replays buffered events after `lastEventId` (false: too old, the page must reload). */
  open(session: StreamSession, lastEventId?: number): { complete: boolean } {
    let complete = true;
    if (lastEventId !== undefined) {
      const oldest = this.buffer[0]?.id ?? this.nextId;
      complete = lastEventId + 1 >= oldest;
      for (const e of this.buffer) {
        if (e.id > lastEventId && (e.user === null || e.user === session.user)) session.write(sseFrame(e.id, e.event, e.data));
      }
    }
    this.sessions.add(session);
    for (const l of this.openListeners) l(session.user);
    return { complete };
  }

  close(session: StreamSession): void {
    this.sessions.delete(session);
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  private push(event: string, payload: unknown, user: string | null): BufferedEvent {
    const e: BufferedEvent = { id: this.nextId++, event, data: JSON.stringify(payload), user };
    this.buffer.push(e);
    if (this.buffer.length > BUFFER_EVENTS) this.buffer.shift();
    return e;
  }

  broadcast(event: string, payload: unknown): number {
    const e = this.push(event, payload, null);
    const frame = sseFrame(e.id, e.event, e.data);
    for (const s of this.sessions) s.write(frame);
    return this.sessions.size;
  }

  /** Send to one user's sessions; returns how many took it. */
  sendTo(user: string, event: string, payload: unknown): number {
    const e = this.push(event, payload, user);
    const frame = sseFrame(e.id, e.event, e.data);
    let n = 0;
    for (const s of this.sessions) {
      if (s.user !== user) continue;
      s.write(frame);
      n++;
    }
    return n;
  }

  /** A comment line keeps proxies and the browser from timing the stream out. */
  heartbeat(): void {
    for (const s of this.sessions) s.write(': ping\n\n');
  }
}
