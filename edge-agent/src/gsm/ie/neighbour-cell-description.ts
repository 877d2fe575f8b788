/**
 * The three 16-octet frequency-list IEs of the BCCH (3GPP TS 44.018): Cell Channel Description
 * (§10.5.2.1b, SI1: the cell allocation), Neighbour Cell Description (§10.5.2.22, SI2/SI2bis: the BA list
 * with EXT-IND and BA-IND) and Neighbour Cell Description 2 (§10.5.2.22a, SI2ter: extended BA list with
 * MULTIBAND_REPORTING and BA-IND). They differ only in the flag bits sharing the format octet; the ARFCN
 * set itself is decoded by `frequency-list.ts`. Each reads exactly 16 octets at `at`.
 */
import { fail, ok, type Result } from '@simhound/protocol';
import { decodeFrequencyList, type FrequencyListFormat } from '../frequency-list.js';

export const FREQUENCY_LIST_IE_OCTETS = 16;

export interface CellChannelDescription {
  /** The cell allocation (ARFCNs of the serving cell's channels), ascending. */
  cell_arfcns: number[];
  cell_arfcns_format: FrequencyListFormat;
}

export interface NeighbourCellDescription {
  /** BCCH allocation: neighbour BCCH carriers to monitor, ascending. */
  neighbour_arfcns: number[];
  neighbour_arfcns_format: FrequencyListFormat;
  /** EXT-IND: 1 = this IE carries only part of the BA (SI2bis/SI2ter complete it). */
  ext_ind: 0 | 1;
  /** BA-IND: sequence number telling BA lists apart. */
  ba_ind: 0 | 1;
}

export interface NeighbourCellDescription2 {
  neighbour_arfcns: number[];
  neighbour_arfcns_format: FrequencyListFormat;
  /** MULTIBAND_REPORTING: number of cells per non-serving band to report (0..3). */
  multiband_reporting: number;
  ba_ind: 0 | 1;
}

type IeRejection = 'too_short' | 'bad_ie';

export function cellChannelDescription(buf: Uint8Array, at: number): Result<CellChannelDescription, IeRejection> {
  const list = decodeFrequencyList(buf, at, at + FREQUENCY_LIST_IE_OCTETS);
  if (!list.ok) return fail(list.reason, list.detail);
  return ok({ cell_arfcns: list.value.arfcns, cell_arfcns_format: list.value.format });
}

export function neighbourCellDescription(buf: Uint8Array, at: number): Result<NeighbourCellDescription, IeRejection> {
  const list = decodeFrequencyList(buf, at, at + FREQUENCY_LIST_IE_OCTETS);
  if (!list.ok) return fail(list.reason, list.detail);
  const o = buf[at]!;
  return ok({
    neighbour_arfcns: list.value.arfcns,
    neighbour_arfcns_format: list.value.format,
    ext_ind: ((o >> 5) & 1) as 0 | 1,
    ba_ind: ((o >> 4) & 1) as 0 | 1,
  });
}

export function neighbourCellDescription2(buf: Uint8Array, at: number): Result<NeighbourCellDescription2, IeRejection> {
  const list = decodeFrequencyList(buf, at, at + FREQUENCY_LIST_IE_OCTETS, 'neighbour_2');
  if (!list.ok) return fail(list.reason, list.detail);
  const o = buf[at]!;
  return ok({
    neighbour_arfcns: list.value.arfcns,
    neighbour_arfcns_format: list.value.format,
    multiband_reporting: (o >> 5) & 0x03,
    ba_ind: ((o >> 4) & 1) as 0 | 1,
  });
}

/** NCC Permitted (§10.5.2.27): bit n+1 set = NCC n may be reported. Returns the permitted NCCs ascending. */
export function nccPermitted(octet: number): number[] {
  const out: number[] = [];
  for (let ncc = 0; ncc < 8; ncc++) if (((octet >> ncc) & 1) === 1) out.push(ncc);
  return out;
}
