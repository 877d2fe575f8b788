/**
 * Turns the world's air events into GSMTAP datagrams as one probe would receive them: the serving
 * cell's ARFCN, a received level from the probe's distance to the cell, frame numbers from time, real
 * RR encodings (System Information 1/2/3/4/13 on BCCH, paging and assignments on CCCH).
 * Identities are simulated TMSIs, never real ones.
 */
import type { SimCell, SimProbe } from '../scenario.js';
import type { AirEvent, SimCause } from './air-events.js';
import { frameNumberAt, receivedLevelDbm } from './radio.js';
import { distanceM } from '../geo.js';
import {
  GSMTAP_CHANNEL, encodeChannelRequestRa, encodeGsmtapV2, encodeImmediateAssignment, encodePagingRequestType1,
  encodeSystemInformation1, encodeSystemInformation2, encodeSystemInformation3, encodeSystemInformation4,
  encodeSystemInformation13, type ChannelRequestCause, type EncodeResult, type GsmtapChannel,
} from '../encode/index.js';
import type { Random } from '../random.js';

const SIM_CAUSE_TO_REQUEST: Record<SimCause, ChannelRequestCause> = {
  originating_call: 'originating_call_tch_f',
  other_sdcch: 'other_sdcch_procedure',
  location_updating: 'location_updating',
  answer_to_paging: 'answer_to_paging',
  emergency_call: 'emergency_call',
};

function unwrap(r: EncodeResult, what: string): Uint8Array {
  if (!r.ok) throw new Error(`simulator could not encode ${what}: ${r.reason} ${r.detail ?? ''}`);
  return r.value;
}

/** Encoded System Information per cell; they never change during a run. */
function systemInformationFor(cell: SimCell, neighbours: number[]): Record<'si1' | 'si2' | 'si3' | 'si4' | 'si13', Uint8Array> {
  const lai = { mcc: cell.mcc, mnc: cell.mnc, lac: cell.lac };
  const cell_selection = { neci: cell.neci === 1 };
  return {
    si1: unwrap(encodeSystemInformation1({ cell_allocation: [cell.arfcn] }), 'SI1'),
    si2: unwrap(encodeSystemInformation2({ neighbours }), 'SI2'),
    si3: unwrap(
      encodeSystemInformation3({
        ci: cell.ci,
        lai,
        control_channel: { bs_ag_blks_res: 1, ccch_conf: 0, bs_pa_mfrms: 3, t3212_decihours: 10 },
        cell_selection,
        rest_octets: { gprs_indicator: { ra_colour: 0, si13_position: 0 } },
      }),
      'SI3',
    ),
    si4: unwrap(encodeSystemInformation4({ lai, cell_selection, rest_octets: { gprs_indicator: { ra_colour: 0, si13_position: 0 } } }), 'SI4'),
    si13: unwrap(encodeSystemInformation13({ rac: 1 }), 'SI13'),
  };
}

export class ProbeFrameBuilder {
  private readonly si: Array<ReturnType<typeof systemInformationFor>>;
  private readonly levels: number[];
  /** Cells this probe hears (indexes into the scenario's cell list). */
  readonly heard: ReadonlySet<number>;

  constructor(
    private readonly cells: readonly SimCell[],
    readonly probe: SimProbe,
    private readonly rnd: Random,
  ) {
    const allArfcns = cells.map((c) => c.arfcn);
    this.si = cells.map((c) => systemInformationFor(c, [...new Set(allArfcns.filter((a) => a !== c.arfcn))]));
    this.levels = cells.map((c) => receivedLevelDbm(c.tx_power_dbm, distanceM(probe, c)));
    const heard = new Set<number>();
    cells.forEach((c, i) => {
      const tuned = probe.cells === undefined ? distanceM(probe, c) <= probe.hear_range_m : probe.cells.includes(c.ci);
      if (tuned) heard.add(i);
    });
    this.heard = heard;
  }

  /** The GSMTAP datagram for one air event, or null when this probe does not hear that cell. */
  build(e: AirEvent): Uint8Array | null {
    if (!this.heard.has(e.cell_index)) return null;
    const cell = this.cells[e.cell_index]!;
    let payload: Uint8Array;
    let channel: GsmtapChannel = GSMTAP_CHANNEL.CCCH;
    switch (e.kind) {
      case 'system_information':
        payload = this.si[e.cell_index]![e.si];
        channel = GSMTAP_CHANNEL.BCCH;
        break;
      case 'paging':
        payload = unwrap(
          encodePagingRequestType1({ identity_1: { type: 'tmsi', tmsi: e.tmsi }, channel_needed_1: e.channel_needed }),
          'paging request',
        );
        break;
      case 'assignment': {
        const ra = encodeChannelRequestRa({
          cause: SIM_CAUSE_TO_REQUEST[e.cause],
          neci: cell.neci === 1,
          random: this.rnd.int(0, 256),
          channel_needed: 'tch_f',
          ms_capability: 'full_rate_only',
        });
        if (!ra.ok) throw new Error(`simulator could not encode an RA: ${ra.reason}`);
        payload = unwrap(
          encodeImmediateAssignment({
            request: { ra: ra.value, request_frame_number: frameNumberAt(e.request_ts_ms) },
            ta_steps: e.ta_steps,
            assignment: {
              kind: 'dedicated',
              channel: {
                channel_type: 'sdcch8',
                subchannel: this.rnd.int(0, 8),
                timeslot: 1,
                tsc: cell.ci % 8,
                rf: { arfcn: cell.arfcn },
              },
            },
          }),
          'immediate assignment',
        );
        break;
      }
    }
    const level = this.levels[e.cell_index]! + Math.round(this.rnd.normal(0, 2));
    return unwrap(
      encodeGsmtapV2(
        {
          channel,
          timeslot: 0,
          arfcn: cell.arfcn,
          signal_dbm: Math.max(-128, Math.min(127, level)),
          snr_db: 0,
          frame_number: frameNumberAt(e.ts_ms),
        },
        payload,
      ),
      'GSMTAP header',
    );
  }
}
