/**
 * Fixed-seed structure-aware fuzzing of the frame decoder (~20k mutated frames): nothing throws, no
 * decoder raises an exception (those would be counted as decoder_exception), every frame gets exactly
 * one counted outcome, and the mutations reach deep paths (ok, skipped and malformed outcomes all occur);
 * the dedicated-session tracker behind the decoder counts every event once and stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { DEDICATED_SESSION_DEFAULTS } from '../../src/gsm/dedicated-session.js';
import { runFuzz } from './fuzz-frames.js';

describe('frame decoder fuzz (fixed seed)', () => {
  it('survives 20,000 mutated frames with every outcome counted', () => {
    const r = runFuzz(20_000, 0x5eed);
    expect(r.escaped_throws).toBe(0);
    expect(r.outcomes.decoder_exception).toBe(0);
    const counted = Object.values(r.outcomes).reduce((a, b) => a + b, 0);
    expect(counted).toBe(20_000);
    expect(r.outcomes.ok).toBeGreaterThan(1000);
    for (const reason of ['too_short', 'bad_version', 'bad_header_length', 'bad_l2_header', 'bad_length', 'bad_ie', 'unsupported_message', 'unsupported_protocol', 'fill_frame'] as const) {
      expect(r.outcomes[reason], reason).toBeGreaterThan(0);
    }
    expect(r.events).toBeGreaterThan(1000);
    // The mutations reach every decoder, the NCH, SACCH and dedicated-channel ones included.
    for (const name of [
      'paging_request_1', 'immediate_assignment', 'cm_service_request', 'notification_nch', 'system_information_5',
      'system_information_5bis', 'system_information_5ter', 'system_information_6', 'authentication_request',
      'authentication_response', 'ciphering_mode_command', 'ciphering_mode_complete', 'tmsi_reallocation_command',
      'tmsi_reallocation_complete', 'identity_request', 'imsi_detach_indication', 'location_updating_accept',
      'location_updating_reject', 'cm_service_accept', 'cm_service_reject', 'classmark_change', 'cc_setup', 'channel_release',
    ]) {
      expect(r.events_by_message[name] ?? 0, name).toBeGreaterThan(0);
    }
    // The session tracker saw every assignment and every event on a dedicated channel once, opened
    // sessions from the mutated assignments and stayed within its bound; every session it opened came out.
    const tracked = Object.values(r.sessions.outcomes).reduce((a, b) => a + b, 0);
    expect(tracked).toBe(r.session_relevant_events);
    expect(r.sessions.outcomes.opened).toBeGreaterThan(0);
    expect(r.sessions.outcomes.attached + r.sessions.outcomes.orphan).toBeGreaterThan(0);
    expect(r.sessions.open).toBeLessThanOrEqual(DEDICATED_SESSION_DEFAULTS.max_sessions);
    const ended = Object.values(r.sessions.ends).reduce((a, b) => a + b, 0);
    expect(ended).toBe(r.sessions.outcomes.opened);
    expect(r.events_by_message['dedicated_session']).toBe(ended);
  });
});
