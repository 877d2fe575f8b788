/**
 * Every way a GSMTAP frame can end in the frame decoder, in three classes: `ok` (decoded; zero or more
 * events), skipped (well-formed, but nothing simhound decodes: fill frames, bursts, other channels or
 * messages) and malformed (the bytes break the format). Each frame gets exactly one outcome, so the
 * counts add up to the frames seen.
 */
export const SKIP_REASONS = [
  /** LAPDm/CCCH fill: no L3 message in the block. */
  'fill_frame',
  /** GSMTAP UM_BURST (raw burst bits) — needs a demodulator/decoder first. */
  'burst_payload',
  /** GSMTAP payload types other than Um (Abis, SIM, LTE …). */
  'unsupported_payload_type',
  /** Logical channels without RR/MM L3 content here: RACH, PDCH/PACCH (RLC/MAC), CBCH, voice. */
  'unsupported_channel',
  /** LAPDm frames without information field (RR, RNR, REJ, DISC, DM) or SAPI ≠ 0 (SMS). */
  'no_information',
  /** A segment of a message split over several LAPDm frames (not reassembled). */
  'lapdm_segment',
  /** L3 protocol other than RR, MM and CC (SMS, GMM, SS …). */
  'unsupported_protocol',
  /** RR message with a non-zero skip indicator: to be ignored (TS 24.007 §11.2.3.1.2). */
  'nonzero_skip_indicator',
  /** RR/MM/CC message type without a decoder in the registry. */
  'unsupported_message',
] as const;

export const MALFORMED_REASONS = [
  'too_short',
  'bad_version',
  'bad_header_length',
  'bad_l2_header',
  'bad_length',
  'bad_ie',
  'bad_value',
  /** A message decoder threw: a bug, counted rather than crashing the source. */
  'decoder_exception',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];
export type MalformedReason = (typeof MALFORMED_REASONS)[number];
export type FrameOutcome = 'ok' | SkipReason | MalformedReason;

export const FRAME_OUTCOMES: readonly FrameOutcome[] = ['ok', ...SKIP_REASONS, ...MALFORMED_REASONS];

export function outcomeClass(outcome: FrameOutcome): 'ok' | 'skipped' | 'malformed' {
  if (outcome === 'ok') return 'ok';
  return (SKIP_REASONS as readonly string[]).includes(outcome) ? 'skipped' : 'malformed';
}

export type FrameOutcomeCounts = Record<FrameOutcome, number>;

export function emptyOutcomeCounts(): FrameOutcomeCounts {
  const counts = {} as FrameOutcomeCounts;
  for (const o of FRAME_OUTCOMES) counts[o] = 0;
  return counts;
}
