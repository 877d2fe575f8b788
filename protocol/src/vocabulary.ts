/**
 * The field vocabulary: every field name used in a message, an event, an InfluxDB point or a dashboard
 * column, with its unit and meaning. Names carry their unit as a suffix (`<quantity>_<unit>`); names
 * without a physical unit say what they are (count, enum, id …). Tests check that every property of
 * every schema is listed here, and docs/contract.md is generated from this list and the schemas.
 */

export type FieldUnit =
  | 'ms' | 's' | 'm' | 'deg' | 'dbm' | 'db' | 'hz' | 'steps' | 'mps'
  | 'count' | 'ratio' | 'probability' | 'enum' | 'id' | 'text' | 'bool' | 'number' | 'object' | 'list' | 'map';

export interface FieldSpec {
  unit: FieldUnit;
  description: string;
  /** How the collector writes it to InfluxDB, if at all. */
  influx?: 'tag' | 'field';
}

/** Suffixes that name a physical unit. A field with such a suffix must carry that unit. */
export const UNIT_SUFFIXES: Readonly<Record<string, FieldUnit>> = {
  _ms: 'ms', _s: 's', _m: 'm', _deg: 'deg', _dbm: 'dbm', _db: 'db', _hz: 'hz', _steps: 'steps', _mps: 'mps',
};

export const FIELD_VOCABULARY: Readonly<Record<string, FieldSpec>> = {
  // envelope
  v: { unit: 'number', description: 'Envelope format version (1).' },
  id: { unit: 'id', description: 'Message id, UUIDv7 made at the source; idempotency key end to end.' },
  kind: { unit: 'enum', description: 'Message kind: status, detection, window, observation, cmd, alert.' },
  site: { unit: 'id', description: 'Deployment site name (topic segment).', influx: 'tag' },
  probe: { unit: 'id', description: 'Probe name within the site (topic segment).', influx: 'tag' },
  ts_ms: { unit: 'ms', description: 'When the message or event was made, Unix epoch milliseconds.' },
  seq: { unit: 'count', description: 'Per-probe message counter: detection and window messages +1 each, continued across restarts; a status carries the last one made. The collector reports gaps in detection, window and observation numbers.' },
  body: { unit: 'object', description: 'Kind-specific message body.' },
  sig: { unit: 'text', description: 'Ed25519 signature (base64url) over the canonical JSON of the envelope without sig.' },
  // commands (collector → probe)
  command: { unit: 'enum', description: 'Command name: ping, republish_status.' },
  expires_ts_ms: { unit: 'ms', description: 'When a command stops being valid; the probe refuses it after.' },
  last_command: { unit: 'object', description: 'The last command the probe carried out {id, command, received_ts_ms}.' },
  received_ts_ms: { unit: 'ms', description: 'When the message was received (by the collector, or a command by the probe).' },
  // cell identity and radio
  cell: { unit: 'object', description: 'Cell global identity {mcc, mnc, lac, ci}, or null when not yet known.' },
  mcc: { unit: 'id', description: 'Mobile country code, 3 digits.', influx: 'tag' },
  mnc: { unit: 'id', description: 'Mobile network code, 2 or 3 digits.', influx: 'tag' },
  lac: { unit: 'id', description: 'Location area code.', influx: 'tag' },
  ci: { unit: 'id', description: 'Cell identity.', influx: 'tag' },
  arfcn: { unit: 'number', description: 'Absolute radio frequency channel number.', influx: 'tag' },
  ta_steps: { unit: 'steps', description: 'Timing Advance, 0–63; one step = 553.5 m of distance to the cell.', influx: 'tag' },
  cause: { unit: 'enum', description: 'Establishment cause of the channel request (TS 44.018 table 9.1.8.1).', influx: 'tag' },
  range_min_m: { unit: 'm', description: 'Inner radius of the TA ring around the serving cell.', influx: 'field' },
  range_max_m: { unit: 'm', description: 'Outer radius of the TA ring around the serving cell.', influx: 'field' },
  // positions and time
  position: { unit: 'object', description: 'A WGS-84 position {lat_deg, lon_deg, accuracy_m?, alt_m?, position_source}.' },
  lat_deg: { unit: 'deg', description: 'Latitude, WGS-84 degrees.' },
  lon_deg: { unit: 'deg', description: 'Longitude, WGS-84 degrees.' },
  accuracy_m: { unit: 'm', description: 'Horizontal accuracy radius (1 sigma).' },
  alt_m: { unit: 'm', description: 'Altitude above the WGS-84 ellipsoid.' },
  position_source: { unit: 'enum', description: 'Where a position came from: config, gps, modem, simulated.' },
  window: { unit: 'object', description: 'Time window {start_ts_ms, end_ts_ms}, half-open.' },
  start_ts_ms: { unit: 'ms', description: 'Window start, Unix epoch milliseconds (inclusive).' },
  end_ts_ms: { unit: 'ms', description: 'Window end, Unix epoch milliseconds (exclusive).' },
  window_s: { unit: 's', description: 'Window length.' },
  // status
  state: { unit: 'enum', description: 'Probe state (online, degraded, offline) or source state (ok, idle, silent, error, finished).', influx: 'tag' },
  software_version: { unit: 'text', description: 'simhound version running on the probe.' },
  started_ts_ms: { unit: 'ms', description: 'When the agent process started.' },
  uptime_s: { unit: 's', description: 'Agent uptime.', influx: 'field' },
  sources: { unit: 'list', description: 'Health of each input source.' },
  source_name: { unit: 'id', description: 'Configured name of an input source.', influx: 'tag' },
  source_kind: { unit: 'enum', description: 'Kind of input source: gsmtap, pcap, iq, modem, bridge.', influx: 'tag' },
  frames_total: { unit: 'count', description: 'Frames read by a source since start.', influx: 'field' },
  events_total: { unit: 'count', description: 'Events decoded by a source since start.', influx: 'field' },
  rejected_total: { unit: 'count', description: 'Frames rejected or skipped by a source since start.', influx: 'field' },
  rejected_by_reason: { unit: 'map', description: 'Rejected/skipped frame counts by typed reason.' },
  last_frame_ts_ms: { unit: 'ms', description: 'When the source last produced a frame, or null.' },
  outbox_depth: { unit: 'count', description: 'Messages waiting in the outbox for a PUBACK.', influx: 'field' },
  outbox_bytes: { unit: 'count', description: 'Payload bytes waiting in the outbox.' },
  outbox_oldest_ts_ms: { unit: 'ms', description: 'When the oldest message waiting in the outbox was made, or null when it is empty.' },
  outbox_durable: { unit: 'bool', description: 'True when the outbox is on disk (survives a crash and a power cut).' },
  outbox_dropped_by_reason: { unit: 'map', description: 'Messages the outbox dropped (window_expired, window_over_limit, detection_over_hard_cap) or could not write (write_failed); a disk outbox counts across restarts.' },
  last_rx_ts_ms: { unit: 'ms', description: 'When a live source last received anything (wall clock), or null if it never did.' },
  detections_total: { unit: 'count', description: 'Detections made since start.', influx: 'field' },
  // detections
  detector: { unit: 'id', description: 'Detector name, e.g. ccch-burst.', influx: 'tag' },
  detector_version: { unit: 'number', description: 'Detector version; bumped whenever its logic changes.', influx: 'tag' },
  score: { unit: 'probability', description: 'Detector confidence, 0–1.', influx: 'field' },
  severity: { unit: 'enum', description: 'low, medium or high; maps to alert tiers (72 h, 24 h, 2 h).', influx: 'tag' },
  evidence: { unit: 'object', description: 'What made a detector fire (closed set of fields below).' },
  count_by_cause: { unit: 'map', description: 'Counts by establishment cause.' },
  event_count: { unit: 'count', description: 'Number of events in a slot and window.', influx: 'field' },
  baseline_count: { unit: 'count', description: 'Expected number of events in the slot under the baseline.', influx: 'field' },
  p_value: { unit: 'probability', description: 'Tail probability of the observed count under the baseline.', influx: 'field' },
  cell_event_count: { unit: 'count', description: 'Events on the whole cell in the window.', influx: 'field' },
  active_ta_count: { unit: 'count', description: 'Number of TA steps with traffic on the cell in the window.', influx: 'field' },
  distinct_subs: { unit: 'count', description: 'Distinct pseudonymised subscribers (sub_ref) seen.', influx: 'field' },
  interarrival_mean_ms: { unit: 'ms', description: 'Mean time between consecutive events.', influx: 'field' },
  interarrival_cv: { unit: 'ratio', description: 'Coefficient of variation (stddev/mean) of inter-arrival times.', influx: 'field' },
  thresholds: { unit: 'map', description: 'Detector thresholds in force when it fired.' },
  count_by_class: { unit: 'map', description: 'Counts by traffic class (mo_call, mo_or_sdcch, sdcch, mt_call, lu, …; edge-agent/src/features/traffic-class.ts).' },
  fusion_rule: { unit: 'enum', description: 'Which fusion rule made a den candidate (A, B, C; edge-agent/src/detect/fusion.ts).', influx: 'tag' },
  indicators: { unit: 'list', description: 'The detectors whose evidence made a den candidate, strongest first.' },
  p_log10: { unit: 'number', description: '−log10 of a test\'s p-value (0 = no evidence; capped at 30).' },
  level: { unit: 'enum', description: 'Strength of an indicator: moderate or strong.' },
  reason: { unit: 'text', description: 'One human-readable line saying why.' },
  facts: { unit: 'map', description: 'Detector-specific numbers behind an indicator.' },
  ta_span_steps: { unit: 'steps', description: 'Adjacent TA steps a place spans (2 when a den sits on a TA boundary).' },
  horizon_s: { unit: 's', description: 'Time span a detector looked back over.', influx: 'field' },
  first_seen_ts_ms: { unit: 'ms', description: 'When a den candidate was first raised (start of its episode).' },
  excess_count: { unit: 'count', description: 'Accesses at a TA that the people there do not explain (what a den adds).', influx: 'field' },
  mt_share: { unit: 'ratio', description: 'Answered pagings as a share of (originating + answered) accesses at a TA.', influx: 'field' },
  mt_share_expected: { unit: 'ratio', description: 'The same share on the rest of the cell (the expectation).', influx: 'field' },
  // windows
  assignments: { unit: 'list', description: 'Immediate-assignment counts per (cell, ARFCN, TA, cause).' },
  pagings: { unit: 'list', description: 'Paging counts per (cell, ARFCN).' },
  // observations
  observations: { unit: 'list', description: 'A batch of observations, each with its own type and time.' },
  type: { unit: 'enum', description: 'Observation type: uplink_burst, bearing, position, serving_cell, neighbour_cells, uplink_activity, channel_power, slot_occupancy, band_scan.', influx: 'tag' },
  fn: { unit: 'number', description: 'GSM TDMA frame number (0 … 2715647).' },
  timeslot: { unit: 'number', description: 'TDMA timeslot, 0–7.', influx: 'tag' },
  ra: { unit: 'number', description: 'RA byte of a channel request (access burst), 0–255.' },
  rssi_dbm: { unit: 'dbm', description: 'Received signal strength.', influx: 'field' },
  bearing_deg: { unit: 'deg', description: 'True bearing from the probe toward the emitter, clockwise from north.', influx: 'field' },
  bearing_std_deg: { unit: 'deg', description: 'One-sigma uncertainty of a bearing.', influx: 'field' },
  confidence: { unit: 'probability', description: 'Confidence of a measurement, 0–1.', influx: 'field' },
  peak_rssi_dbm: { unit: 'dbm', description: 'Strongest received level during a sweep.', influx: 'field' },
  front_to_back_db: { unit: 'db', description: 'Front-to-back ratio of a directional sweep.', influx: 'field' },
  speed_mps: { unit: 'mps', description: 'Ground speed, metres per second.', influx: 'field' },
  heading_deg: { unit: 'deg', description: 'Direction of travel, clockwise from north.', influx: 'field' },
  // modem cell reports (serving_cell, neighbour_cells)
  rat: { unit: 'enum', description: 'Radio access technology of a cell report: gsm, umts, lte.', influx: 'tag' },
  earfcn: { unit: 'number', description: 'LTE E-UTRA absolute radio frequency channel number.', influx: 'tag' },
  bsic: { unit: 'id', description: 'GSM base station identity code, 0–63 (NCC·8 + BCC), from a modem report or the SCH.', influx: 'tag' },
  pci: { unit: 'number', description: 'LTE physical cell id, 0–503.', influx: 'field' },
  rxlev: { unit: 'number', description: 'GSM RXLEV 0–63 as reported (TS 45.008 §8.1.4); rssi_dbm carries it in dBm.', influx: 'field' },
  rxqual: { unit: 'number', description: 'GSM RXQUAL 0–7 (bit-error-rate class).', influx: 'field' },
  rsrp_dbm: { unit: 'dbm', description: 'LTE reference signal received power.', influx: 'field' },
  rsrq_db: { unit: 'db', description: 'LTE reference signal received quality.', influx: 'field' },
  c1: { unit: 'number', description: 'GSM path-loss criterion C1 in dB (TS 45.008 §6.4).', influx: 'field' },
  c2: { unit: 'number', description: 'GSM reselection criterion C2 in dB (TS 45.008 §6.4).', influx: 'field' },
  neighbours: { unit: 'list', description: 'Neighbour cells of one engineering-mode poll.' },
  // probe MCU uplink meter (uplink_activity)
  duration_ms: { unit: 'ms', description: 'Length of time a report covers.', influx: 'field' },
  frame_count: { unit: 'count', description: 'TDMA frames (4.615 ms), or frame-long periods, in a report or interval.', influx: 'field' },
  burst_count: { unit: 'count', description: 'Bursts measured (SDR), or slot windows that held a burst above the threshold (probe MCU).', influx: 'field' },
  slots: { unit: 'list', description: 'Per-slot statistics: 8 free-running 577 µs windows (probe MCU) or the cell\'s timeslots (SDR slot_occupancy).' },
  slot: { unit: 'number', description: 'Index 0–7 of a free-running 577 µs window within a 4.615 ms period (not the cell\'s timeslot number).' },
  mean_rssi_dbm: { unit: 'dbm', description: 'Mean received level over a report.', influx: 'field' },
  threshold_dbm: { unit: 'dbm', description: 'Burst detection threshold in force.', influx: 'field' },
  // SDR observations (channel_power, slot_occupancy, band_scan)
  link: { unit: 'enum', description: 'uplink (handset → cell) or downlink (cell → handset).', influx: 'tag' },
  freq_hz: { unit: 'hz', description: 'Carrier frequency.', influx: 'field' },
  freq_offset_hz: { unit: 'hz', description: 'Carrier frequency error measured on its FCCH (tone − 67.708 kHz); the receiver\'s tuning error.', influx: 'field' },
  noise_floor_dbm: { unit: 'dbm', description: 'Receiver noise floor in one 200 kHz channel.', influx: 'field' },
  busy_share: { unit: 'ratio', description: 'Share of the time (frames) a channel or timeslot carried bursts, 0–1.', influx: 'field' },
  alignment: { unit: 'enum', description: 'How timeslots were numbered: fcch (the cell\'s own, absolute), bursts (fitted to the bursts, relative), none.', influx: 'tag' },
  concurrent_slots_mean: { unit: 'number', description: 'Mean number of busy timeslots per TDMA frame.', influx: 'field' },
  concurrent_slots_max: { unit: 'count', description: 'Most busy timeslots in one TDMA frame.', influx: 'field' },
  concurrent_slots_histogram: { unit: 'list', description: 'TDMA frames with 0, 1, … 8 busy timeslots.' },
  rssi_hist_start_dbm: { unit: 'dbm', description: 'Lower edge of the first bin of a burst-power histogram.' },
  rssi_hist_step_db: { unit: 'db', description: 'Bin width of a burst-power histogram.' },
  rssi_hist_counts: { unit: 'list', description: 'Bursts per power bin.' },
  rssi_spread_db: { unit: 'db', description: 'Standard deviation of per-timeslot median burst powers (busy timeslots).', influx: 'field' },
  rssi_iqr_db: { unit: 'db', description: 'Interquartile range of burst powers.', influx: 'field' },
  band: { unit: 'enum', description: 'GSM band: GSM850, GSM900, DCS1800, PCS1900.', influx: 'tag' },
  scanned_count: { unit: 'count', description: 'ARFCNs a band scan covered.', influx: 'field' },
  channels: { unit: 'list', description: 'Active ARFCNs found by a band scan.' },
  activity: { unit: 'enum', description: 'continuous (a BCCH carrier, on in every frame) or bursty (TDMA traffic).' },
  // identities (edge only, pseudonymised)
  sub_ref: { unit: 'id', description: 'Pseudonymised subscriber: HMAC-SHA256(deployment key, kind:identity), 16 hex chars.' },
};

/** Check a field name against the naming rule. Returns a problem description or null. */
export function checkFieldName(name: string): string | null {
  const spec = FIELD_VOCABULARY[name];
  if (spec === undefined) return `field "${name}" is not in the vocabulary`;
  for (const [suffix, unit] of Object.entries(UNIT_SUFFIXES)) {
    if (name.endsWith(suffix) && spec.unit !== unit) return `field "${name}" ends in ${suffix} but its unit is ${spec.unit}`;
  }
  const physical = Object.values(UNIT_SUFFIXES) as FieldUnit[];
  if (physical.includes(spec.unit) && !name.endsWith(`_${spec.unit}`)) {
    return `field "${name}" has unit ${spec.unit} but no _${spec.unit} suffix`;
  }
  return null;
}
