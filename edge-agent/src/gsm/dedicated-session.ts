/**
 * Dedicated-channel sessions: links each Immediate Assignment (channel description, TA, establishment
 * cause, request reference) to the events later seen on that channel (SDCCH/4, SDCCH/8, TCH early
 * assignment, their SACCH), and emits one `DedicatedSession` event per session when it ends — at the
 * Channel Release, at a new assignment of the same channel, after an idle timeout, when the table is
 * full (the session idle longest is evicted) or when the input ends (`flush`). The session carries the
 * timing of the signalling; `auth_round_trip_ms` (Authentication Request → the network's next message on
 * the channel) is the remote-SIM latency signal: SIM banks relay the challenge to SIM cards elsewhere.
 *
 * Matching: a frame belongs to a session of the same source, timeslot, channel family (SDCCH/TCH-F/TCH-H)
 * and sub-channel whose assigned ARFCN equals the frame's GSMTAP ARFCN — or, when no such session exists,
 * whose assignment came on a CCCH with the frame's GSMTAP ARFCN (gr-gsm labels every frame of a capture
 * with ARFCN 0, and hopping channels have no single ARFCN).
 *
 * Every event handed to `track` gets one counted outcome; memory is bounded by `max_sessions` (a full
 * table evicts the session idle longest: a linear scan, as is the timeout scan, which runs at most once
 * per idle-timeout span of the clock; attaching a frame is a map lookup). It sees
 * events only (identities are already sub_refs) and must not keep anything beyond a session's summary.
 */
import type {
  AssignmentEvent,
  CellId,
  CipherAlgorithm,
  ChannelDescription,
  DedicatedSessionEvent,
  GsmChannel,
  GsmEvent,
  RrCause,
  SessionEnd,
  SessionInitialMessage,
  SubscriberRef,
} from './events.js';

export interface DedicatedSessionOptions {
  /** Close a session when nothing was seen on its channel for this long. Default 20,000 ms. */
  idle_timeout_ms?: number;
  /** Open sessions kept at most; opening one more evicts the session idle longest. Default 4096. */
  max_sessions?: number;
}

export const DEDICATED_SESSION_DEFAULTS: Required<DedicatedSessionOptions> = { idle_timeout_ms: 20_000, max_sessions: 4096 };

/** What `track` did with one event. */
export const SESSION_OUTCOMES = [
  /** An Immediate Assignment of a dedicated channel opened a session. */
  'opened',
  /** The BTS repeated an assignment already open (same request, same channel). */
  'repeated_assignment',
  /** An event on a dedicated channel joined its session. */
  'attached',
  /** An event on a dedicated channel with no session (its assignment was not seen, or it ended). */
  'orphan',
  /** Not about a dedicated channel: packet (TBF) assignments, CCCH/BCCH events if given. */
  'not_dedicated',
] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export const SESSION_ENDS: readonly SessionEnd[] = ['channel_release', 'reassigned', 'timeout', 'evicted', 'flushed'];

export interface DedicatedSessionStats {
  open: number;
  outcomes: Record<SessionOutcome, number>;
  ends: Record<SessionEnd, number>;
}

export type SessionSink = (event: DedicatedSessionEvent) => void;

/** Channel families as key digits: SDCCH (/4 and /8 alike), TCH/F, TCH/H; -1 = not a dedicated channel. */
const SDCCH = 0;
const TCH_F = 1;
const TCH_H = 2;

const MAX_MESSAGES = 32;
const MAX_SUBS = 8;

interface Session {
  key: number;
  aliasKey: number;
  assignment: AssignmentEvent;
  channel: ChannelDescription;
  cell: CellId | null;
  repeats: number;
  initial: SessionInitialMessage | null;
  subs: SubscriberRef[];
  reallocated: string | null;
  tmsiReallocated: boolean;
  authRequest: { ts_ms: number; fn: number } | null;
  authNext: { ts_ms: number; message: string } | null;
  authResponseTs: number | null;
  ciphering: { ts_ms: number; fn: number; algorithm: CipherAlgorithm | null; start: boolean } | null;
  release: { ts_ms: number; fn: number; cause: RrCause } | null;
  callSetup: DedicatedSessionEvent['call_setup'];
  messages: string[];
  frames: number;
  lastTs: number;
}

function family(channel: GsmChannel | ChannelDescription['chan_type']): number {
  switch (channel) {
    case 'sdcch':
    case 'sdcch4':
    case 'sdcch8':
      return SDCCH;
    case 'tch_f':
      return TCH_F;
    case 'tch_h':
      return TCH_H;
    default:
      return -1;
  }
}

/** Channel family of a GSMTAP channel number (SDCCH 6, SDCCH/4 7, SDCCH/8 8, TCH/F 9, TCH/H 10); -1 otherwise. */
export function channelFamily(gsmtapChannel: number): number {
  if (gsmtapChannel >= 6 && gsmtapChannel <= 8) return SDCCH;
  if (gsmtapChannel === 9) return TCH_F;
  if (gsmtapChannel === 10) return TCH_H;
  return -1;
}

/**
 * A channel as one number (exact in a double): source index, ARFCN slot (0..1023 an ARFCN; 1024 + n a
 * hopping channel assigned on CCCH ARFCN n), timeslot, family, sub-channel (0 for TCH/F).
 */
function channelKey(sourceIndex: number, arfcnSlot: number, timeslot: number, fam: number, subchannel: number): number {
  return ((((sourceIndex * 2048 + (arfcnSlot & 2047)) * 8 + (timeslot & 7)) * 3 + fam) * 8) + (fam === TCH_F ? 0 : subchannel & 7);
}

/** A duration between two capture timestamps, to the microsecond (capture clocks resolve no finer). */
function elapsedMs(from: number, to: number): number {
  return Math.round((to - from) * 1000) / 1000;
}

function emptyCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  return out;
}

export class DedicatedSessionTracker {
  private readonly idleTimeout: number;
  private readonly maxSessions: number;
  /** Open sessions by channel key. */
  private readonly sessions = new Map<number, Session>();
  /** Alias key (the assignment's CCCH ARFCN) → channel key. */
  private readonly aliases = new Map<number, number>();
  /** Source names → small indexes for the numeric keys (cleared past 2^20 names while no session is open). */
  private readonly sourceIndexes = new Map<string, number>();
  private lastSource = '';
  private lastSourceIndex = -1;
  private readonly outcomes = emptyCounts(SESSION_OUTCOMES);
  private readonly ends = emptyCounts(SESSION_ENDS);
  private clockTs = -Infinity;
  private clockFn = 0;
  private nextExpiryTs = Infinity;

  constructor(options: DedicatedSessionOptions = {}) {
    this.idleTimeout = options.idle_timeout_ms ?? DEDICATED_SESSION_DEFAULTS.idle_timeout_ms;
    this.maxSessions = Math.max(1, options.max_sessions ?? DEDICATED_SESSION_DEFAULTS.max_sessions);
  }

  /**
   * Take one decoded event from `source` — an assignment or an event on a dedicated channel; others may be
   * given too (counted `not_dedicated`), or only their time through `tick`. Ended sessions go to `emit`.
   */
  track(event: GsmEvent, source: string, emit: SessionSink): SessionOutcome {
    this.tick(event.ts_ms, event.fn, emit);
    const outcome = this.route(event, source, emit);
    this.outcomes[outcome]++;
    return outcome;
  }

  /**
   * `track` for the frame decoder, which already knows from the GSMTAP header what `track` would read from
   * the event: whether it is an assignment, else the channel family (`channelFamily` of the GSMTAP channel
   * number), ARFCN, timeslot and sub-slot of the frame.
   */
  trackFrame(event: GsmEvent, source: string, assignment: boolean, fam: number, arfcn: number, timeslot: number, subSlot: number, emit: SessionSink): SessionOutcome {
    this.tick(event.ts_ms, event.fn, emit);
    let outcome: SessionOutcome;
    if (assignment) outcome = this.assign(event as AssignmentEvent, source, emit);
    else if (fam < 0) outcome = 'not_dedicated';
    else if (this.sessions.size === 0) outcome = 'orphan';
    else {
      const session = this.find(this.sourceIndex(source), arfcn, timeslot, fam, subSlot);
      if (session === undefined) outcome = 'orphan';
      else {
        this.attach(session, event, emit);
        outcome = 'attached';
      }
    }
    this.outcomes[outcome]++;
    return outcome;
  }

  /** Advance the clock to a frame seen at `ts_ms` (any channel); sessions idle past the timeout end. */
  tick(ts_ms: number, fn: number, emit: SessionSink): void {
    if (ts_ms > this.clockTs) {
      this.clockTs = ts_ms;
      this.clockFn = fn;
    }
    if (this.clockTs >= this.nextExpiryTs) this.expire(this.clockTs, emit);
  }

  /** Close sessions idle for the timeout at `now_ms` (live sources call this on a timer). */
  expire(now_ms: number, emit: SessionSink): void {
    if (now_ms > this.clockTs) this.clockTs = now_ms;
    // A scan at most once per timeout span per session: `nextExpiryTs` is the earliest a session can
    // expire (last activity only moves forward), recomputed here.
    let next = Infinity;
    for (const s of this.sessions.values()) {
      if (now_ms - s.lastTs >= this.idleTimeout) this.close(s, 'timeout', emit);
      else if (s.lastTs + this.idleTimeout < next) next = s.lastTs + this.idleTimeout;
    }
    this.nextExpiryTs = next;
  }

  /** Close every open session (the input ended). */
  flush(emit: SessionSink): void {
    for (const s of [...this.sessions.values()]) this.close(s, 'flushed', emit);
    this.nextExpiryTs = Infinity;
  }

  stats(): DedicatedSessionStats {
    return { open: this.sessions.size, outcomes: { ...this.outcomes }, ends: { ...this.ends } };
  }

  private sourceIndex(source: string): number {
    if (source === this.lastSource && this.lastSourceIndex >= 0) return this.lastSourceIndex;
    let index = this.sourceIndexes.get(source);
    if (index === undefined) {
      // Indexes are only names for keys: when too many sources came and went, start over once idle.
      if (this.sourceIndexes.size >= 1 << 20 && this.sessions.size === 0) {
        this.sourceIndexes.clear();
        this.aliases.clear();
      }
      index = this.sourceIndexes.size;
      this.sourceIndexes.set(source, index);
    }
    this.lastSource = source;
    this.lastSourceIndex = index;
    return index;
  }

  private route(event: GsmEvent, source: string, emit: SessionSink): SessionOutcome {
    if (event.type === 'Assignment') return this.assign(event, source, emit);
    if (event.type === 'DedicatedSession') return 'not_dedicated';
    const fam = family(event.channel);
    if (fam < 0) return 'not_dedicated';
    if (this.sessions.size === 0) return 'orphan';
    const session = this.find(this.sourceIndex(source), event.arfcn, event.timeslot, fam, event.sub_slot);
    if (session === undefined) return 'orphan';
    this.attach(session, event, emit);
    return 'attached';
  }

  private find(sourceIndex: number, arfcn: number, timeslot: number, fam: number, subchannel: number): Session | undefined {
    if (arfcn > 1023) return undefined; // not a GSM ARFCN: no channel of ours
    const key = channelKey(sourceIndex, arfcn, timeslot, fam, subchannel);
    const direct = this.sessions.get(key);
    if (direct !== undefined) return direct;
    const aliased = this.aliases.get(key);
    return aliased === undefined ? undefined : this.sessions.get(aliased);
  }

  private assign(a: AssignmentEvent, source: string, emit: SessionSink): SessionOutcome {
    const cd = a.channel_desc;
    if (a.packet || cd === null) return 'not_dedicated';
    const fam = family(cd.chan_type);
    if (fam < 0) return 'not_dedicated';
    const sourceIndex = this.sourceIndex(source);
    const key = channelKey(sourceIndex, cd.arfcn ?? 1024 + (a.arfcn & 1023), cd.timeslot, fam, cd.subchannel);
    const existing = this.sessions.get(key);
    if (existing !== undefined) {
      const r = existing.assignment.request;
      if (r.ra === a.request.ra && r.request_fn === a.request.request_fn) {
        existing.repeats++;
        return 'repeated_assignment';
      }
      this.close(existing, 'reassigned', emit);
    }
    if (this.sessions.size >= this.maxSessions) this.close(this.idleLongest(), 'evicted', emit);
    const aliasKey = channelKey(sourceIndex, a.arfcn & 1023, cd.timeslot, fam, cd.subchannel);
    const session: Session = {
      key,
      aliasKey,
      assignment: a,
      channel: cd,
      cell: a.cell,
      repeats: 0,
      initial: null,
      subs: [],
      reallocated: null,
      tmsiReallocated: false,
      authRequest: null,
      authNext: null,
      authResponseTs: null,
      ciphering: null,
      release: null,
      callSetup: null,
      messages: [],
      frames: 0,
      lastTs: a.ts_ms,
    };
    this.sessions.set(key, session);
    this.aliases.set(aliasKey, key);
    if (this.nextExpiryTs === Infinity) this.nextExpiryTs = a.ts_ms + this.idleTimeout;
    return 'opened';
  }

  private idleLongest(): Session {
    let oldest: Session | undefined;
    for (const s of this.sessions.values()) if (oldest === undefined || s.lastTs < oldest.lastTs) oldest = s;
    return oldest!;
  }

  private addSubs(s: Session, subs: readonly SubscriberRef[]): void {
    for (const sub of subs) {
      if (s.subs.length >= MAX_SUBS) return;
      if (!s.subs.some((x) => x.sub_ref === sub.sub_ref)) s.subs.push(sub);
    }
  }

  private attach(s: Session, e: GsmEvent, emit: SessionSink): void {
    s.frames++;
    if (e.ts_ms > s.lastTs) s.lastTs = e.ts_ms;
    if (s.messages.length < MAX_MESSAGES) s.messages.push(e.message);
    if (s.cell === null && e.cell !== null) s.cell = e.cell;
    const fromNetwork = !e.uplink && !e.acch;
    if (fromNetwork && e.type === 'Dedicated' && s.authRequest !== null && s.authNext === null && e.ts_ms >= s.authRequest.ts_ms && e.message !== 'authentication_request') {
      s.authNext = { ts_ms: e.ts_ms, message: e.message };
    }
    switch (e.type) {
      case 'DedicatedRequest':
        if (e.message !== 'identity_response' && s.initial === null) {
          s.initial = { message: e.message, service_type: e.service_type ?? null, lu_type: e.lu_type ?? null, ts_ms: e.ts_ms, fn: e.fn };
        }
        this.addSubs(s, e.subs);
        break;
      case 'Dedicated':
        switch (e.message) {
          case 'authentication_request':
            if (s.authRequest === null) s.authRequest = { ts_ms: e.ts_ms, fn: e.fn };
            break;
          case 'authentication_response':
            if (s.authResponseTs === null && s.authRequest !== null) s.authResponseTs = e.ts_ms;
            break;
          case 'ciphering_mode_command':
            if (s.ciphering === null) s.ciphering = { ts_ms: e.ts_ms, fn: e.fn, algorithm: e.algorithm, start: e.start_ciphering };
            break;
          case 'ciphering_mode_complete':
            this.addSubs(s, e.subs);
            break;
          case 'tmsi_reallocation_command':
            this.reallocate(s, e.subs);
            break;
          case 'location_updating_accept':
            if (e.subs.some((x) => x.kind === 'tmsi')) this.reallocate(s, e.subs);
            break;
          case 'cc_setup':
            s.callSetup ??= e.call_direction;
            break;
          case 'channel_release':
            s.release = { ts_ms: e.ts_ms, fn: e.fn, cause: e.rr_cause };
            this.close(s, 'channel_release', emit);
            break;
          default:
            break;
        }
        break;
      default:
        break;
    }
  }

  private reallocate(s: Session, subs: readonly SubscriberRef[]): void {
    s.tmsiReallocated = true;
    const first = subs[0];
    if (first !== undefined) s.reallocated = first.sub_ref;
    this.addSubs(s, subs);
  }

  private close(s: Session, end: SessionEnd, emit: SessionSink): void {
    this.sessions.delete(s.key);
    if (this.aliases.get(s.aliasKey) === s.key) this.aliases.delete(s.aliasKey);
    this.ends[end]++;
    emit(this.sessionEvent(s, end));
  }

  private sessionEvent(s: Session, end: SessionEnd): DedicatedSessionEvent {
    const a = s.assignment;
    const endTs = s.release?.ts_ms ?? s.lastTs;
    const cipher = s.ciphering;
    return {
      ts_ms: Math.max(this.clockTs, endTs),
      fn: end === 'channel_release' ? s.release!.fn : this.clockFn,
      arfcn: a.arfcn,
      uplink: false,
      timeslot: s.channel.timeslot,
      sub_slot: s.channel.subchannel,
      channel: s.channel.chan_type as GsmChannel,
      acch: false,
      rssi_dbm: a.rssi_dbm,
      snr_db: a.snr_db,
      cell: s.cell,
      type: 'DedicatedSession',
      message: 'dedicated_session',
      ta_steps: a.ta_steps,
      cause: a.request.cause,
      ra: a.request.ra,
      request_fn: a.request.request_fn,
      channel_desc: s.channel,
      assignment_ts_ms: a.ts_ms,
      assignment_fn: a.fn,
      assignment_repeats: s.repeats,
      initial: s.initial,
      subs: s.subs,
      reallocated_sub_ref: s.reallocated,
      tmsi_reallocated: s.tmsiReallocated,
      auth_request_ts_ms: s.authRequest?.ts_ms ?? null,
      auth_request_fn: s.authRequest?.fn ?? null,
      auth_response_ts_ms: s.authResponseTs,
      ciphering_command_ts_ms: cipher?.ts_ms ?? null,
      ciphering_command_fn: cipher?.fn ?? null,
      ciphered: cipher?.start ?? false,
      cipher_algorithm: cipher?.algorithm ?? null,
      release_ts_ms: s.release?.ts_ms ?? null,
      release_fn: s.release?.fn ?? null,
      rr_cause: s.release?.cause ?? null,
      auth_round_trip_ms: s.authRequest !== null && s.authNext !== null ? elapsedMs(s.authRequest.ts_ms, s.authNext.ts_ms) : null,
      auth_next_message: s.authNext?.message ?? null,
      auth_response_ms: s.authRequest !== null && s.authResponseTs !== null ? elapsedMs(s.authRequest.ts_ms, s.authResponseTs) : null,
      initial_to_ciphering_ms: s.initial !== null && cipher !== null ? elapsedMs(s.initial.ts_ms, cipher.ts_ms) : null,
      call_setup: s.callSetup,
      messages: s.messages,
      frames: s.frames,
      last_ts_ms: s.lastTs,
      end,
      end_ts_ms: endTs,
      duration_ms: elapsedMs(a.ts_ms, endTs),
    };
  }
}
