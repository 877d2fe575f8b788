/**
 * The agent's serial sources, started from one small hook: the cellular modem (cell reports, GPS),
 * a GPS receiver on its own port, the probe MCU (uplink activity) and the rotator kit (bearings).
 * Each opens its port by path with reconnect, turns what it reads into observations, and reports its
 * health for the status message. A GPS fix (modem or receiver) becomes the probe's live position:
 * status, detections and observations carry it from then on.
 * Must not: transmit on the air, or hold up the agent when a device is absent (ports retry in the
 * background and the source shows `error` until its device appears).
 */
import type { Logger, Observation, Position, SourceHealth } from '@simhound/protocol';
import { DETECTOR_PRESETS, ProbeMcuClient, ReconnectingSerialPort, RotatorKit, dbmToAdc, type DetectorCalibration } from '@simhound/firmware-bridge';
import type { EdgeConfig, SourceConfig } from './config.js';
import { GpsNmeaSource } from './modem/gps-nmea-source.js';
import { ModemSource } from './modem/modem-source.js';
import type { GpsFix } from './modem/parsers/gps-fix.js';

export const SERIAL_SOURCE_KINDS = ['modem', 'gps_nmea', 'probe_mcu', 'rotator'] as const;
type SerialSourceConfig = Extract<SourceConfig, { kind: (typeof SERIAL_SOURCE_KINDS)[number] }>;

export function isSerialSourceConfig(sc: SourceConfig): sc is SerialSourceConfig {
  return (SERIAL_SOURCE_KINDS as readonly string[]).includes(sc.kind);
}

export interface SerialSourcesContext {
  log: Logger;
  /** Where observations go (the agent's observation batcher). */
  addObservation: (o: Observation) => void;
  /** The probe's current position (live GPS or configured). */
  position: () => Position | null;
  /** Called with every GPS fix. */
  onPosition: (p: Position) => void;
}

export interface SerialSources {
  health(): SourceHealth[];
  stop(): Promise<void>;
}

/** A position observation at most every 30 s, or sooner after moving 20 m. */
const POSITION_EVERY_MS = 30_000;
const POSITION_MOVE_M = 20;

function metresBetween(a: Position, b: Position): number {
  const r = 6_371_000;
  const dLat = ((b.lat_deg - a.lat_deg) * Math.PI) / 180;
  const dLon = ((b.lon_deg - a.lon_deg) * Math.PI) / 180 * Math.cos(((a.lat_deg + b.lat_deg) * Math.PI) / 360);
  return r * Math.hypot(dLat, dLon);
}

export function startSerialSources(config: EdgeConfig, ctx: SerialSourcesContext): SerialSources {
  const entries: Array<{ health: () => SourceHealth; stop: () => Promise<void> }> = [];
  const clients = new Map<string, ProbeMcuClient>();
  let lastPosition: { p: Position; ts: number } | null = null;
  const withPosition = <T extends Observation>(o: T): T => {
    const p = ctx.position();
    return p ? { ...o, position: p } : o;
  };
  const onFix = (fix: GpsFix & { ts_ms: number }) => {
    ctx.onPosition(fix.position);
    const now = fix.ts_ms;
    if (lastPosition && now - lastPosition.ts < POSITION_EVERY_MS && metresBetween(lastPosition.p, fix.position) < POSITION_MOVE_M) return;
    lastPosition = { p: fix.position, ts: now };
    const o: Observation = { type: 'position', ts_ms: fix.ts_ms, position: fix.position };
    if (fix.speed_mps !== undefined) o.speed_mps = fix.speed_mps;
    if (fix.heading_deg !== undefined) o.heading_deg = fix.heading_deg;
    ctx.addObservation(o);
  };
  const base = (name: string, kind: string, open: boolean) => ({ source_name: name, source_kind: kind, state: open ? ('ok' as const) : ('error' as const) });

  for (const sc of config.sources) {
    if (!isSerialSourceConfig(sc)) continue;
    const log = ctx.log.child(`source:${sc.name}`);
    if (sc.kind === 'modem') {
      const { source, port } = ModemSource.onSerialPort({
        name: sc.name, path: sc.path, baud_rate: sc.baud_rate, vendor: sc.vendor, gps: sc.gps, poll_interval_s: sc.poll_interval_s,
        operator_scan_interval_s: sc.operator_scan_interval_s, log,
        onServingCell: (o) => ctx.addObservation(withPosition(o)),
        onNeighbourCells: (o) => ctx.addObservation(withPosition(o)),
        onPosition: onFix,
      });
      source.start();
      port.start();
      entries.push({
        health: () => ({ source_name: sc.name, source_kind: sc.kind, ...source.health() }),
        stop: async () => {
          source.stop();
          await port.stop();
        },
      });
    } else if (sc.kind === 'gps_nmea') {
      const { source, port } = GpsNmeaSource.onSerialPort({ path: sc.path, baud_rate: sc.baud_rate, log, onPosition: onFix });
      source.start();
      port.start();
      entries.push({
        health: () => {
          const rejected = source.rejected();
          return {
            ...base(sc.name, sc.kind, port.isOpen()),
            frames_total: source.sentences, events_total: source.fixes,
            rejected_total: Object.values(rejected).reduce((a, b) => a + b, 0), rejected_by_reason: rejected, last_frame_ts_ms: source.lastSentenceTs,
          };
        },
        stop: async () => {
          source.stop();
          await port.stop();
        },
      });
    } else if (sc.kind === 'probe_mcu') {
      const preset = DETECTOR_PRESETS[sc.detector];
      const calibration: DetectorCalibration = {
        slope_mv_per_db: sc.slope_mv_per_db ?? preset.slope_mv_per_db,
        intercept_dbm: sc.intercept_dbm ?? preset.intercept_dbm,
        insertion_loss_db: sc.insertion_loss_db,
      };
      const port = new ReconnectingSerialPort({ path: sc.path, baudRate: sc.baud_rate, log });
      // The firmware's ADC reference is 5 V (firmware/probe.c); the HELLO frame confirms it.
      const client = new ProbeMcuClient({ link: port, name: sc.name, calibration, threshold_adc: dbmToAdc(sc.threshold_dbm, calibration, 5000), frames_per_report: sc.frames_per_report, log });
      client.on('activity', (o: Observation) => ctx.addObservation(withPosition(o)));
      client.start();
      port.start();
      clients.set(sc.name, client);
      entries.push({
        health: () => {
          const s = client.stats();
          const rejected: Record<string, number> = { ...s.rejected };
          for (const [k, v] of Object.entries(s.command_failures)) rejected[`command_${k}`] = v;
          if (s.lost_frames > 0) rejected.lost_frame = s.lost_frames;
          return {
            ...base(sc.name, sc.kind, port.isOpen()),
            frames_total: s.frames, events_total: s.reports,
            rejected_total: Object.values(rejected).reduce((a, b) => a + b, 0), rejected_by_reason: rejected, last_frame_ts_ms: s.last_frame_ts_ms,
          };
        },
        stop: async () => {
          await client.stop();
          await port.stop();
        },
      });
    }
  }

  // Rotators read the levels of a probe MCU started above.
  for (const sc of config.sources) {
    if (sc.kind !== 'rotator') continue;
    const log = ctx.log.child(`source:${sc.name}`);
    const kit = new RotatorKit({
      port: sc.path, pins: sc.pins, step_deg: sc.step_deg, settle_ms: sc.settle_ms, dwell_ms: sc.dwell_ms, azimuth_per_servo_deg: sc.azimuth_per_servo_deg,
      heading_offset_deg: sc.heading_offset_deg, beamwidth_deg: sc.beamwidth_deg, position: ctx.position, log,
    });
    const levels = clients.get(sc.level_source);
    if (!levels) log.error('rotator level_source names no probe_mcu source', { level_source: sc.level_source });
    levels?.on('activity', (o: { peak_rssi_dbm: number; burst_count: number }) => o.burst_count > 0 && kit.feedLevel(o.peak_rssi_dbm));
    kit.on('bearing', (o: Observation) => ctx.addObservation(o));
    let connected = false;
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let retryMs = 2000;
    // Firmata boards do not reconnect by themselves: retry with backoff until the board answers.
    const connect = () =>
      kit.connect().then(
        () => {
          connected = true;
          timer = setInterval(() => void kit.sweep(), sc.sweep_interval_s * 1000);
        },
        (e: unknown) => {
          log.error('rotator board not reachable; retrying', { error: e instanceof Error ? e.message : String(e), retry_ms: retryMs });
          if (stopped) return;
          timer = setTimeout(connect, retryMs);
          retryMs = Math.min(retryMs * 2, 60_000);
        },
      );
    void connect();
    entries.push({
      health: () => ({
        ...base(sc.name, sc.kind, connected),
        frames_total: kit.stats.sweeps, events_total: kit.stats.bearings,
        rejected_total: Object.values(kit.stats.failures).reduce((a, b) => a + b, 0), rejected_by_reason: { ...kit.stats.failures }, last_frame_ts_ms: null,
      }),
      stop: async () => {
        stopped = true;
        if (timer) clearInterval(timer);
        await kit.stop();
      },
    });
  }

  return {
    health: () => entries.map((e) => e.health()),
    async stop() {
      for (const e of entries) await e.stop();
    },
  };
}
