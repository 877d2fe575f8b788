/**
 * Turns the world's air events into the GSMTAP datagrams one probe receives: only the cells it hears
 * (received level above its sensitivity; of two cells on one ARFCN only the stronger, as a receiver
 * captures it) and the channels it decodes; a received level per frame; frame loss that grows near the
 * sensitivity; rare undetected bit errors. Encoding uses the simulator's encoders (encode/), with
 * System Information (BCCH and SACCH) and the empty Notification/NCH encoded once per cell.
 *
 * Channels as gr-gsm labels them on the downlink: BCCH (1) and CCCH (2, paging, assignments, rejects,
 * NCH) on timeslot 0; an SDCCH/8 (8) and its SACCH (8 | 0x80) on the timeslot and sub-slot the
 * Immediate Assignment gave, at the frame number of the block's first burst. A probe receives only
 * the downlink: the mobile's messages reach it as the network's UA echo of the first one; the world
 * does not emit what ciphering hides (air-events.ts, sacch.ts).
 *
 * Identities are simulated. It must not change the world (it only reads events).
 */
import type { LocalProjection } from '../geo.js';
import type { Random } from '../random.js';
import { hashInts } from '../random.js';
import type { SimCell, SimOperator, SimProbe } from '../scenario.js';
import {
  GSMTAP_CHANNEL, RR_CAUSE, encodeAuthenticationRequest, encodeChannelRelease, encodeCipheringModeCommand, encodeCmServiceAccept,
  encodeCmServiceRequest, encodeGsmtapV2, encodeImmediateAssignment, encodeImmediateAssignmentExtended, encodeImmediateAssignmentReject,
  encodeImsiDetachIndication, encodeLapdmBlock, encodeLocationUpdatingAccept, encodeLocationUpdatingRequest, encodeNotificationNch,
  encodePagingRequestType1, encodePagingRequestType2, encodePagingRequestType3, encodePagingResponse, encodeSacchBlock,
  encodeSystemInformation1, encodeSystemInformation2, encodeSystemInformation3, encodeSystemInformation4, encodeSystemInformation5,
  encodeSystemInformation6, encodeSystemInformation13, encodeTmsiReallocationCommand, type EncodeResult, type GsmtapChannel,
  type MobileIdentity,
} from '../encode/index.js';
import type {
  AirEvent, AssignmentEntry, DedicatedMessage, PagedIdentity, SacchSystemInformationType, SimIdentity, SystemInformationType,
} from './air-events.js';
import { Geography } from './geography.js';
import type { CellRuntime } from './cells.js';

export interface ProbeCounters {
  frames: number;
  lost: number;
  corrupted: number;
  /** Events on cells or channels this probe does not receive. */
  not_heard: number;
  /** Air events the encoders cannot build, by message type (none since every emitted message has an encoder). */
  not_encodable: Record<string, number>;
}

/** NCH position code 0 in SI1 rest octets: one block, the first CCCH block (TS 44.018 table 10.5.2.32.1). */
const NCH_POSITION_BLOCK_0 = 0;

function unwrap(r: EncodeResult, what: string): Uint8Array {
  if (!r.ok) throw new Error(`simulator could not encode ${what}: ${r.reason} ${r.detail ?? ''}`);
  return r.value;
}

/** Encoded System Information of a cell; it never changes during a run. */
export function systemInformationFor(cell: SimCell, op: SimOperator, neighbours: number[]): Record<SystemInformationType, Uint8Array> {
  const lai = { mcc: cell.mcc, mnc: cell.mnc, lac: cell.lac };
  const cell_selection = { neci: cell.neci === 1 };
  const gprs = { gprs_indicator: { ra_colour: 0, si13_position: 0 as const } };
  return {
    si1: unwrap(encodeSystemInformation1({ cell_allocation: [cell.arfcn], ...(op.nch ? { nch_position: NCH_POSITION_BLOCK_0 } : {}) }), 'SI1'),
    si2: unwrap(encodeSystemInformation2({ neighbours }), 'SI2'),
    si3: unwrap(
      encodeSystemInformation3({
        ci: cell.ci,
        lai,
        control_channel: { bs_ag_blks_res: cell.bs_ag_blks_res, ccch_conf: 0, bs_pa_mfrms: cell.bs_pa_mfrms, t3212_decihours: op.t3212_decihours },
        cell_selection,
        rest_octets: gprs,
      }),
      'SI3',
    ),
    si4: unwrap(encodeSystemInformation4({ lai, cell_selection, rest_octets: gprs }), 'SI4'),
    si13: unwrap(encodeSystemInformation13({ rac: 1 }), 'SI13'),
  };
}

/** SI5 (the dedicated-mode neighbour list: the SI2 list here) and SI6 of a cell as SACCH B4 information. */
export function sacchSystemInformationFor(cell: SimCell, neighbours: number[]): Record<SacchSystemInformationType, Uint8Array> {
  return {
    si5: unwrap(encodeSystemInformation5({ neighbours }), 'SI5'),
    si6: unwrap(encodeSystemInformation6({ ci: cell.ci, lai: { mcc: cell.mcc, mnc: cell.mnc, lac: cell.lac } }), 'SI6'),
  };
}

/** An empty Notification/NCH (NLN 0, no group call), pseudo length 1 as the Vodafone DE capture's BTS sends it. */
const EMPTY_NOTIFICATION = unwrap(encodeNotificationNch({ nln: 0, l2_pseudo_length: 1 }), 'Notification/NCH');

const identityOf = (id: SimIdentity): MobileIdentity => (id.type === 'tmsi' ? { type: 'tmsi', tmsi: id.tmsi } : { type: 'imsi', digits: id.digits });

/** The L3 message of the mobile's first message (what the network's UA echoes). */
function initialMessage(init: Extract<DedicatedMessage, { type: 'ua_initial' }>['initial']): EncodeResult {
  switch (init.kind) {
    case 'cm_service_request':
      return encodeCmServiceRequest({ service_type: init.service, identity: identityOf(init.identity) });
    case 'location_updating_request':
      return encodeLocationUpdatingRequest({ updating_type: init.lu_type, previous_lai: init.previous_lai, identity: identityOf(init.identity) });
    case 'paging_response':
      return encodePagingResponse({ identity: identityOf(init.identity) });
    case 'imsi_detach_indication':
      return encodeImsiDetachIndication({ identity: identityOf(init.identity) });
  }
}

/** The L3 message of a network message after the UA. */
function networkMessage(m: Exclude<DedicatedMessage, { type: 'ua_initial' }>): EncodeResult {
  switch (m.type) {
    case 'authentication_request':
      return encodeAuthenticationRequest({ cksn: m.cksn, rand: m.rand });
    case 'ciphering_mode_command':
      return encodeCipheringModeCommand({ algorithm: m.algorithm, imeisv_requested: m.imeisv_requested });
    case 'location_updating_accept':
      return encodeLocationUpdatingAccept({ lai: m.lai, ...(m.tmsi !== null ? { identity: { type: 'tmsi', tmsi: m.tmsi } } : {}) });
    case 'cm_service_accept':
      return encodeCmServiceAccept();
    case 'tmsi_reallocation_command':
      return encodeTmsiReallocationCommand({ lai: m.lai, identity: { type: 'tmsi', tmsi: m.tmsi } });
    case 'channel_release':
      return encodeChannelRelease({ rr_cause: RR_CAUSE.normal_event });
  }
}

/**
 * The downlink SDCCH block of a dedicated-channel message: the UA (a response, F = 1) echoing the
 * mobile's first message, or an I frame (a network command) with the connection's N(S)/N(R).
 */
export function encodeDedicated(m: DedicatedMessage, ns: number, nr: number): EncodeResult {
  if (m.type === 'ua_initial') {
    const l3 = initialMessage(m.initial);
    return l3.ok ? encodeLapdmBlock({ type: 'UA', direction: 'downlink', information: l3.value }) : l3;
  }
  const l3 = networkMessage(m);
  return l3.ok ? encodeLapdmBlock({ type: 'I', direction: 'downlink', ns, nr, information: l3.value }) : l3;
}

function pagingBlock(pages: readonly PagedIdentity[]): Uint8Array {
  const n = pages.length;
  const tmsis = pages.filter((p) => p.identity.type === 'tmsi');
  if (n === 4 && tmsis.length === 4) {
    const t = tmsis.map((p) => (p.identity as { tmsi: number }).tmsi) as [number, number, number, number];
    return unwrap(encodePagingRequestType3({ tmsis: t, channels_needed: [pages[0]!.channel_needed, pages[1]!.channel_needed, pages[2]!.channel_needed, pages[3]!.channel_needed] }), 'P3');
  }
  if (n === 3 && tmsis.length >= 2) {
    const other = pages.find((p) => !tmsis.slice(0, 2).includes(p))!;
    return unwrap(
      encodePagingRequestType2({
        tmsi_1: (tmsis[0]!.identity as { tmsi: number }).tmsi,
        channel_needed_1: tmsis[0]!.channel_needed,
        tmsi_2: (tmsis[1]!.identity as { tmsi: number }).tmsi,
        channel_needed_2: tmsis[1]!.channel_needed,
        identity_3: identityOf(other.identity),
        channel_needed_3: other.channel_needed,
      }),
      'P2',
    );
  }
  return unwrap(
    encodePagingRequestType1({
      identity_1: identityOf(pages[0]!.identity),
      channel_needed_1: pages[0]!.channel_needed,
      ...(n > 1 ? { identity_2: identityOf(pages[1]!.identity), channel_needed_2: pages[1]!.channel_needed } : {}),
    }),
    'P1',
  );
}

const EMPTY_PAGE = unwrap(encodePagingRequestType1({ identity_1: { type: 'none' } }), 'empty page');

export class ProbeFrameBuilder {
  private readonly si: Array<Record<SystemInformationType, Uint8Array>>;
  private readonly sacchSi: Array<Record<SacchSystemInformationType, Uint8Array>>;
  private levels: Float64Array;
  private heardMask: Uint8Array;
  private nextUpdate = Number.NEGATIVE_INFINITY;
  readonly decodes: { bcch: boolean; ccch: boolean; sdcch: boolean };
  readonly counters: ProbeCounters = { frames: 0, lost: 0, corrupted: 0, not_heard: 0, not_encodable: {} };
  private readonly key: number;
  /** Cells heard at any time, with the sum and count of levels (for the truth). */
  readonly everHeard = new Map<number, { sum: number; n: number }>();

  constructor(
    private readonly cells: readonly CellRuntime[],
    readonly probe: SimProbe,
    private readonly rnd: Random,
    private readonly proj: LocalProjection,
    private readonly geo: Geography,
    probeIndex: number,
    /** When a moving probe sets off from its route's first point. */
    private readonly departMs = 0,
  ) {
    const neighbours = cells.map((c) => neighbourArfcns(cells, c));
    this.si = cells.map((c, i) => systemInformationFor(c.cfg, c.op, neighbours[i]!));
    this.sacchSi = cells.map((c, i) => sacchSystemInformationFor(c.cfg, neighbours[i]!));
    this.levels = new Float64Array(cells.length);
    this.heardMask = new Uint8Array(cells.length);
    this.key = hashInts(probeIndex, 0x9b0be, 7);
    this.decodes = { bcch: probe.channels.includes('bcch'), ccch: probe.channels.includes('ccch'), sdcch: probe.channels.includes('sdcch') };
    this.update(Number.NEGATIVE_INFINITY);
  }

  /** Probe position at t (a route is followed at its speed, looping or stopping at the end). */
  position(t: number): { x: number; y: number } {
    const p = this.probe;
    if (p.route === undefined) return { x: this.proj.x({ lat_deg: p.lat_deg!, lon_deg: p.lon_deg! }), y: this.proj.y({ lat_deg: p.lat_deg!, lon_deg: p.lon_deg! }) };
    const pts = p.route.points.map(([lat, lon]) => [this.proj.x({ lat_deg: lat, lon_deg: lon }), this.proj.y({ lat_deg: lat, lon_deg: lon })] as [number, number]);
    const legs: number[] = [];
    let total = 0;
    for (let k = 0; k + 1 < pts.length; k++) {
      const d = Math.hypot(pts[k + 1]![0] - pts[k]![0], pts[k + 1]![1] - pts[k]![1]);
      legs.push(d);
      total += d;
    }
    const travelled = Number.isFinite(t) ? Math.max(0, ((t - this.departMs) / 1000) * (p.route.speed_kmh / 3.6)) : 0;
    let s = p.route.loop ? travelled % Math.max(total, 1) : Math.min(travelled, total);
    for (let k = 0; k < legs.length; k++) {
      if (s <= legs[k]! || k === legs.length - 1) {
        const f = legs[k]! > 0 ? Math.min(1, s / legs[k]!) : 0;
        return { x: pts[k]![0] + (pts[k + 1]![0] - pts[k]![0]) * f, y: pts[k]![1] + (pts[k + 1]![1] - pts[k]![1]) * f };
      }
      s -= legs[k]!;
    }
    return { x: pts[0]![0], y: pts[0]![1] };
  }

  /** Recomputes levels and the heard set (every 10 s for a moving probe). */
  private update(t: number): void {
    const p = this.probe;
    const { x, y } = this.position(t);
    const bestByArfcn = new Map<number, number>();
    this.cells.forEach((c, i) => {
      const key = p.route === undefined ? this.key : Geography.placeKey(x, y) ^ this.key;
      const lv = this.geo.level(c, x, y, key, 0);
      this.levels[i] = lv.level;
      const tuned = p.cells === undefined || p.cells.includes(c.cfg.ci);
      const inRange = p.hear_range_m === undefined || lv.distance <= p.hear_range_m;
      this.heardMask[i] = tuned && inRange && lv.level >= p.sensitivity_dbm ? 1 : 0;
      if (this.heardMask[i]) {
        const other = bestByArfcn.get(c.cfg.arfcn);
        if (other === undefined || this.levels[other]! < lv.level) bestByArfcn.set(c.cfg.arfcn, i);
      }
    });
    this.cells.forEach((c, i) => {
      if (this.heardMask[i] && bestByArfcn.get(c.cfg.arfcn) !== i) this.heardMask[i] = 0;
      if (this.heardMask[i]) {
        const e = this.everHeard.get(i) ?? { sum: 0, n: 0 };
        e.sum += this.levels[i]!;
        e.n++;
        this.everHeard.set(i, e);
      }
    });
    this.nextUpdate = p.route === undefined ? Number.POSITIVE_INFINITY : t + 10_000;
  }

  hears(cellIndex: number, t: number): boolean {
    if (t >= this.nextUpdate) this.update(t);
    return this.heardMask[cellIndex] === 1;
  }

  levelOf(cellIndex: number): number {
    return this.levels[cellIndex]!;
  }

  /** The GSMTAP datagram this probe receives for one air event, or null (not heard, not decoded, lost). */
  build(e: AirEvent): Uint8Array | null {
    const ci = e.cell_index;
    if (!this.hears(ci, e.ts_ms)) {
      this.counters.not_heard++;
      return null;
    }
    const cell = this.cells[ci]!.cfg;
    let payload: Uint8Array;
    let channel: GsmtapChannel = GSMTAP_CHANNEL.CCCH;
    let acch = false;
    let timeslot = 0;
    let subSlot = 0;
    switch (e.kind) {
      case 'bcch':
        if (!this.decodes.bcch) return this.skip();
        payload = this.si[ci]![e.si];
        channel = GSMTAP_CHANNEL.BCCH;
        break;
      case 'paging':
        if (!this.decodes.ccch) return this.skip();
        payload = pagingBlock(e.pages);
        break;
      case 'assignment':
        if (!this.decodes.ccch) return this.skip();
        payload = assignmentBlock(e.entries, cell);
        break;
      case 'assignment_reject':
        if (!this.decodes.ccch) return this.skip();
        payload = unwrap(
          encodeImmediateAssignmentReject({ rejects: e.entries.map((r) => ({ request: { ra: r.ra, request_frame_number: r.request_fn }, wait_s: r.wait_s })) }),
          'immediate assignment reject',
        );
        break;
      case 'nch':
        if (!this.decodes.ccch) return this.skip();
        payload = EMPTY_NOTIFICATION;
        break;
      case 'dedicated': {
        if (!this.decodes.sdcch) return this.skip();
        const r = encodeDedicated(e.message, e.ns, e.nr);
        if (!r.ok) {
          this.counters.not_encodable[e.message.type] = (this.counters.not_encodable[e.message.type] ?? 0) + 1;
          return null;
        }
        payload = r.value;
        channel = GSMTAP_CHANNEL.SDCCH8;
        timeslot = e.timeslot;
        subSlot = e.subchannel;
        break;
      }
      case 'sacch':
        if (!this.decodes.sdcch) return this.skip();
        payload = unwrap(
          encodeSacchBlock({ ms_power_level: e.ms_power_level, ta_steps: e.ta_steps }, { type: 'UI', direction: 'downlink', information: this.sacchSi[ci]![e.si] }),
          'SACCH block',
        );
        channel = GSMTAP_CHANNEL.SDCCH8;
        acch = true;
        timeslot = e.timeslot;
        subSlot = e.subchannel;
        break;
    }
    return this.frame(ci, e.ts_ms, e.fn, channel, timeslot, subSlot, payload, cell.arfcn, acch);
  }

  /** An empty paging block (idle CCCH fill) of a heard cell, or null when lost. */
  idleFill(cellIndex: number, ts_ms: number, fn: number): Uint8Array | null {
    if (!this.decodes.ccch || !this.hears(cellIndex, ts_ms)) return null;
    return this.frame(cellIndex, ts_ms, fn, GSMTAP_CHANNEL.CCCH, 0, 0, EMPTY_PAGE, this.cells[cellIndex]!.cfg.arfcn, false);
  }

  private skip(): null {
    this.counters.not_heard++;
    return null;
  }

  private frame(ci: number, ts: number, fn: number, channel: GsmtapChannel, timeslot: number, subSlot: number, payload: Uint8Array, arfcn: number, acch: boolean): Uint8Array | null {
    const level = this.levels[ci]!;
    const p = this.probe;
    // Loss: the configured floor plus the fade margin running out near the sensitivity.
    const lossP = p.frame_loss + (1 - p.frame_loss) / (1 + Math.exp((level - p.sensitivity_dbm - 4) / 1.5));
    if (this.rnd.next() < lossP) {
      this.counters.lost++;
      return null;
    }
    const signal = Math.max(-128, Math.min(127, Math.round(level + this.rnd.normal(0, 2))));
    const out = unwrap(encodeGsmtapV2({ channel, acch, timeslot, arfcn, signal_dbm: signal, snr_db: 0, frame_number: fn, sub_slot: subSlot }, payload), 'GSMTAP');
    if (p.decode_error_rate > 0 && this.rnd.next() < p.decode_error_rate) {
      const bits = 1 + this.rnd.int(0, 3);
      for (let k = 0; k < bits; k++) {
        const pos = 16 + this.rnd.int(0, out.length - 16);
        out[pos] = out[pos]! ^ (1 << this.rnd.int(0, 8));
      }
      this.counters.corrupted++;
    }
    this.counters.frames++;
    return out;
  }
}

function assignmentBlock(entries: readonly AssignmentEntry[], cell: SimCell): Uint8Array {
  const tsc = cell.ci % 8;
  const request = (e: AssignmentEntry) => ({ ra: e.ra, request_frame_number: e.request_fn });
  if (entries.length === 2) {
    const ch = (e: AssignmentEntry) => {
      const c = e.channel as Extract<AssignmentEntry['channel'], { type: 'sdcch8' }>;
      return { channel_type: 'sdcch8' as const, subchannel: c.subchannel, timeslot: c.timeslot, tsc, rf: { arfcn: cell.arfcn } };
    };
    return unwrap(
      encodeImmediateAssignmentExtended({
        first: { request: request(entries[0]!), ta_steps: entries[0]!.ta_steps, channel: ch(entries[0]!) },
        second: { request: request(entries[1]!), ta_steps: entries[1]!.ta_steps, channel: ch(entries[1]!) },
      }),
      'immediate assignment extended',
    );
  }
  const e = entries[0]!;
  const c = e.channel;
  return unwrap(
    encodeImmediateAssignment({
      request: request(e),
      ta_steps: e.ta_steps,
      assignment:
        c.type === 'sdcch8'
          ? { kind: 'dedicated', channel: { channel_type: 'sdcch8', subchannel: c.subchannel, timeslot: c.timeslot, tsc, rf: { arfcn: cell.arfcn } } }
          : { kind: 'packet_uplink', channel: { timeslot: c.timeslot, tsc, rf: { arfcn: cell.arfcn } }, tfi: c.tfi, usf: c.usf },
    }),
    'immediate assignment',
  );
}

/** BCCH ARFCNs of up to 32 nearest cells of the same operator (the SI2 neighbour list). */
function neighbourArfcns(cells: readonly CellRuntime[], c: CellRuntime): number[] {
  return [...new Set(
    cells
      .filter((o) => o !== c && o.plmn === c.plmn)
      .sort((a, b) => Math.hypot(a.x - c.x, a.y - c.y) - Math.hypot(b.x - c.x, b.y - c.y))
      .slice(0, 32)
      .map((o) => o.cfg.arfcn)
      .filter((a) => a !== c.cfg.arfcn),
  )].sort((a, b) => a - b);
}
