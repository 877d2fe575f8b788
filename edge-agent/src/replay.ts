/**
 * Replay a capture file through the GSM decoder: capture reader → link layer/IP/UDP → GSMTAP frame
 * decoder → events (dedicated-channel sessions still open at the end are flushed as events too). Used by `simhound replay <capture> --events` and by tests and benchmarks. Streams
 * the file (flat memory), calls back per event and returns a summary of every count: capture records,
 * link-layer skips, frame outcomes and frames per message type.
 *
 * It must not print: the CLI decides what to show.
 */
import { fail, ok, type Result } from '@simhound/protocol';
import type { SubRefHasher } from './privacy/sub-ref.js';
import { CellStateTracker } from './gsm/cell-state.js';
import type { GsmEvent } from './gsm/events.js';
import { DedicatedSessionTracker, type DedicatedSessionStats } from './gsm/dedicated-session.js';
import { GsmFrameDecoder } from './gsm/frame-decoder.js';
import type { FrameOutcome, FrameOutcomeCounts } from './gsm/frame-outcome.js';
import { readCapture, type CaptureFormat, type CaptureOpenError, type CaptureRecordError, type CaptureReadOptions } from './sources/capture-reader.js';
import { createUdpPayload, extractGsmtap, LINK_SKIP_REASONS, type LinkSkipReason } from './sources/link-layer.js';

export interface ReplayOptions {
  /** Pseudonymiser for identities. */
  subRef: SubRefHasher;
  /** Called for every decoded event with the 1-based packet number it came from. */
  onEvent?: (event: GsmEvent, packetNumber: number) => void;
  /** Called for every GSMTAP frame with its outcome (tests, debugging). */
  onFrame?: (packetNumber: number, outcome: FrameOutcome) => void;
  /** Source name for cell state (default: the capture path). */
  source?: string;
  /** Accept GSMTAP on UDP ports other than 4729 when the header looks right (default true). */
  anyUdpPort?: boolean;
  /** Reuse a decoder (and its cell state and session tracker) across captures; default: a new one with a session tracker. */
  decoder?: GsmFrameDecoder;
  /** Close the dedicated-channel sessions still open when the capture ends (default true). */
  flushSessions?: boolean;
  capture?: CaptureReadOptions;
}

export interface ReplaySummary {
  format: CaptureFormat;
  packets: number;
  /** Packets that carried GSMTAP and went to the frame decoder. */
  gsmtap_frames: number;
  events: number;
  events_by_type: Record<string, number>;
  /** Frame outcomes, ok/skipped/malformed, summing to `gsmtap_frames`. */
  outcomes: FrameOutcomeCounts;
  /** Frames per RR/MM/CC message type that reached L3 (decoded or not). */
  messages: Record<string, number>;
  /** The decoder's dedicated-channel session tracker after the capture (null without one). */
  sessions: DedicatedSessionStats | null;
  /** Packets without GSMTAP, by reason (summing to packets − gsmtap_frames). */
  link_skips: Record<LinkSkipReason, number>;
  capture_errors: Record<CaptureRecordError, number>;
  skipped_blocks: number;
  /** The read was stopped on request (`capture.signal`) before the end. */
  aborted: boolean;
}

/** Replay the capture at `input`: a path, or a readable stream (stdin) holding a pcap/pcapng. */
export async function replayCapture(input: string | NodeJS.ReadableStream, options: ReplayOptions): Promise<Result<ReplaySummary, CaptureOpenError>> {
  const decoder = options.decoder ?? new GsmFrameDecoder({ subRef: options.subRef, cells: new CellStateTracker(), sessions: new DedicatedSessionTracker() });
  const before = decoder.stats();
  const beforeMessages = decoder.messageCounts();
  const source = options.source ?? (typeof input === 'string' ? input : 'stdin');
  const anyPort = options.anyUdpPort ?? true;
  const udp = createUdpPayload();
  const linkSkips = {} as Record<LinkSkipReason, number>;
  for (const r of LINK_SKIP_REASONS) linkSkips[r] = 0;
  const eventsByType: Record<string, number> = {};
  let frames = 0;
  let events = 0;
  let packetNumber = 0;
  const onEvent = options.onEvent;
  const onFrame = options.onFrame;
  const emit = (event: GsmEvent) => {
    events++;
    eventsByType[event.message] = (eventsByType[event.message] ?? 0) + 1;
    if (onEvent !== undefined) onEvent(event, packetNumber);
  };

  const read = await readCapture(
    input,
    (packet) => {
      packetNumber = packet.number;
      const skip = extractGsmtap(packet.link_type, packet.buf, packet.offset, packet.length, anyPort, udp);
      if (skip !== null) {
        linkSkips[skip]++;
        return;
      }
      frames++;
      const outcome = decoder.decode(packet.buf, udp.offset, udp.length, packet.ts_ms, source, emit);
      if (onFrame !== undefined) onFrame(packet.number, outcome);
    },
    options.capture,
  );
  if (!read.ok) return fail(read.reason, read.detail);
  if (options.flushSessions ?? true) decoder.flushSessions(emit);

  const after = decoder.stats();
  const outcomes = { ...after.outcomes };
  for (const k of Object.keys(outcomes) as FrameOutcome[]) outcomes[k] -= before.outcomes[k];
  const messages: Record<string, number> = {};
  for (const [name, n] of Object.entries(decoder.messageCounts())) {
    const d = n - (beforeMessages[name] ?? 0);
    if (d > 0) messages[name] = d;
  }
  return ok({
    format: read.value.format,
    packets: read.value.packets,
    gsmtap_frames: frames,
    events,
    events_by_type: eventsByType,
    outcomes,
    messages,
    sessions: decoder.sessionStats(),
    link_skips: linkSkips,
    capture_errors: read.value.errors,
    skipped_blocks: read.value.skipped_blocks,
    aborted: read.value.aborted,
  });
}
