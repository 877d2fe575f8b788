/**
 * Writes the simulator's scenario library (simulator/scenarios/*.yaml) from the specs below, with real
 * cells picked from the Lesotho OpenCelliD-format export (shared/data/cells/LesothoCellTowersData.csv).
 * The demo scenario (maseru-demo.yaml) is hand-written and not touched.
 *
 * Run: node --conditions=source --import tsx scripts/make-scenarios.ts [path/to/LesothoCellTowersData.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseScenario, pickCells, readTowerCsv, type CellPick, type PickedCell } from '../simulator/src/index.js';

const ROOT = join(import.meta.dirname, '..');
const CSV = process.argv[2] ?? join(ROOT, '..', '..', 'shared', 'data', 'cells', 'LesothoCellTowersData.csv');
const rows = readTowerCsv(readFileSync(CSV, 'utf8'));

const P = (lat_deg: number, lon_deg: number) => ({ lat_deg, lon_deg });
// Illustrative places in Maseru (the venues are simulated; only the cells are real).
const CBD = P(-29.313, 27.483);
const STADIUM = P(-29.317, 27.487);
const STATION = P(-29.3105, 27.479);
const TOWER = P(-29.314, 27.4815);
const FACTORY = P(-29.342, 27.515);
const MARKET = P(-29.3095, 27.4745);
const CALL_CENTRE = P(-29.3235, 27.499);
const HEAVY = P(-29.312, 27.49);

// Vodacom is a Vodafone group company: its cells repeat Immediate Assignments and carry an NCH as the
// Vodafone DE cell of shared/data/gsmtap does (docs/simulator.md).
const OPERATORS = [
  { plmn: '65101', name: 'Vodacom Lesotho', subscriber_share: 0.6, t3212_decihours: 30, ia_repetition: 1, nch: true },
  { plmn: '65102', name: 'Econet Telecom Lesotho', subscriber_share: 0.4, t3212_decihours: 20 },
];

interface Spec {
  name: string;
  comment: string;
  description: string;
  cells: CellPick;
  /** Make this real cell an in-building small cell (its identity and position stay real). */
  smallCellCi?: number;
  body: Record<string, unknown>;
}

/**
 * A probe that also follows the SDCCH (and its SACCH) after each Immediate Assignment: for scenarios whose
 * point is dedicated-channel evidence (remote SIM, SIM rotation, SMS blasts) or its hard negatives (LU waves,
 * a call centre). The rest of the library keeps CCCH-only probes, as many real deployments are.
 */
const SDCCH = { channels: ['bcch', 'ccch', 'sdcch'] };
const roof = (site: string, probe: string, p: { lat_deg: number; lon_deg: number }, extra: Record<string, unknown> = {}) => ({ site, probe, ...p, ...extra });
const pop = (subscribers: number, center = CBD, radius_m = 2500, extra: Record<string, unknown> = {}) => ({
  subscribers,
  areas: [
    { ...center, radius_m, weight: 3, kind: 'residential' },
    { ...CBD, radius_m: 900, weight: 1, kind: 'business' },
  ],
  ...extra,
});
const near = (center: { lat_deg: number; lon_deg: number }, radius_m = 2500): CellPick => ({ center, radius_m, min_site_spacing_m: 350, max_cells_per_operator: 14 });

const SPECS: Spec[] = [
  {
    name: 'city-50k-24h',
    comment: 'The benchmark city: 50,000 subscribers of two operators over central Maseru for a weekday, no den, no event.',
    description: '50k subscribers, ~100 real cells, 24 h (bench/simulator.ts measures it).',
    cells: { center: CBD, radius_m: 6000, min_site_spacing_m: 600, max_cells_per_operator: 60 },
    body: { start: '2026-03-04T00:00:00', duration_s: 86_400, population: { subscribers: 50_000, center: CBD, radius_m: 5500 }, probes: [roof('maseru', 'roof-1', P(-29.315, 27.479), { hear_range_m: 6000 })] },
  },
  {
    name: 'den-goip-1-24h',
    comment: 'A single-port GoIP-1 in a house: the smallest den, 24/7 at the published per-port pace.',
    description: 'GOIP-1, one Vodacom SIM, 24 h.',
    cells: near(P(-29.305, 27.47)),
    body: { start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(6000, P(-29.305, 27.47)), dens: [{ id: 'goip1', type: 'goip-1', operators: ['65101'], ...P(-29.3035, 27.4672) }], probes: [roof('north', 'roof-1', P(-29.3065, 27.472))] },
  },
  {
    name: 'den-goip-4-sms-24h',
    comment: 'A GoIP-4 sending SMS blasts (phishing texts) in office hours, few calls.',
    description: 'GOIP-4, SMS blasts of 20, office hours, SDCCH probe, 24 h weekday.',
    cells: near(P(-29.322, 27.505)),
    body: {
      start: '2026-03-05T00:00:00', duration_s: 86_400, population: pop(6000, P(-29.322, 27.505)),
      dens: [{ id: 'goip4', type: 'goip-4', operators: ['65102'], ...P(-29.3248, 27.5077), calls_per_port_per_h: 3, sms_per_port_per_h: 60, sms_burst: 20, hours: 'office' }],
      probes: [roof('east', 'roof-1', P(-29.321, 27.503), SDCCH)],
    },
  },
  {
    name: 'den-goip-8-slow-rotation-48h',
    comment: 'A stealth GoIP-8: one call per port every 6 minutes or slower, SIMs retired after 30 calls or when blocked (IMSI attach + LU with a new TMSI), a few MT calls.',
    description: 'GOIP-8 stealth (10 calls/port-hour), SIM rotation, SDCCH probe, 48 h.',
    cells: near(P(-29.335, 27.47)),
    body: {
      start: '2026-03-03T00:00:00', duration_s: 172_800, population: pop(8000, P(-29.335, 27.47)),
      dens: [{ id: 'goip8', type: 'goip-8', operators: ['65101'], ...P(-29.3362, 27.4731), calls_per_port_per_h: 10, rotation: { after_calls: 30, block_probability: 0.01 }, mt_calls_per_sim_per_day: 0.5 }],
      probes: [roof('south', 'roof-1', P(-29.333, 27.468), SDCCH)],
    },
  },
  {
    name: 'den-goip-16-office-48h',
    comment: 'A GoIP-16 working office hours only (Mon–Fri 08–18); its 16 idle SIMs still location-update at night.',
    description: 'GOIP-16, office hours, two operators, Thu–Fri 48 h.',
    cells: near(P(-29.318, 27.493)),
    body: {
      start: '2026-03-05T00:00:00', duration_s: 172_800, population: pop(8000, P(-29.318, 27.493)),
      dens: [{ id: 'goip16', type: 'goip-16', ...P(-29.3192, 27.4958), hours: 'office' }],
      probes: [roof('centre', 'roof-1', P(-29.316, 27.49))],
    },
  },
  {
    name: 'den-goip-32-night-24h',
    comment: 'A full-rate GoIP-32 that works only at night (20–06), when people are quiet.',
    description: 'GOIP-32, night only, 24 h.',
    cells: near(P(-29.298, 27.5)),
    body: {
      start: '2026-03-04T12:00:00', duration_s: 86_400, population: pop(8000, P(-29.298, 27.5)),
      dens: [{ id: 'goip32', type: 'goip-32', operators: ['65101'], ...P(-29.2965, 27.5021), hours: 'night' }],
      probes: [roof('northeast', 'roof-1', P(-29.2995, 27.498))],
    },
  },
  {
    name: 'den-cat-pool-128-12h',
    comment: 'A 128-SIM cat pool (16 modems, SIMs of both operators) dialling through the day, SIMs rotated after 40 calls.',
    description: 'cat-pool-128, 16 radios, rotation, SDCCH probe, 12 h.',
    cells: near(P(-29.329, 27.487)),
    body: {
      start: '2026-03-04T07:00:00', duration_s: 43_200, population: pop(8000, P(-29.329, 27.487)),
      dens: [{ id: 'pool128', type: 'cat-pool-128', ...P(-29.3301, 27.4889), rotation: { after_calls: 40 } }],
      probes: [roof('south', 'roof-1', P(-29.327, 27.485), SDCCH)],
    },
  },
  {
    name: 'den-cat-pool-512-remote-sim-12h',
    comment: 'A 512-SIM bank behind 64 radios with SIMs held remotely (authentication waits for a round trip to the SIM bank), both operators, rotation; the probe follows the SDCCH.',
    description: 'cat-pool-512, remote SIM bank, SDCCH probe, 12 h.',
    cells: near(P(-29.308, 27.49)),
    body: {
      start: '2026-03-04T08:00:00', duration_s: 43_200, population: pop(8000, P(-29.308, 27.49)),
      dens: [{ id: 'bank512', type: 'cat-pool-512', ...P(-29.3091, 27.4878), calls_per_port_per_h: 15, remote_sim: {}, rotation: { after_calls: 50 } }],
      probes: [roof('centre', 'roof-1', P(-29.31, 27.486), SDCCH)],
    },
  },
  {
    name: 'den-goip-16-poll-24h',
    comment: 'A GoIP-16 in "Poll" cell mode: every port hops among its four strongest cells at random intervals of 5–30 min.',
    description: 'GOIP-16, Poll mode over 4 cells, 24 h.',
    cells: near(P(-29.32, 27.475)),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, P(-29.32, 27.475)),
      dens: [{ id: 'poll16', type: 'goip-16', operators: ['65101'], ...P(-29.3215, 27.4766), cell_mode: 'poll' }],
      probes: [roof('west', 'roof-1', P(-29.318, 27.474))],
    },
  },
  {
    name: 'den-goip-8-basement-24h',
    comment: 'A GoIP-8 in a basement: 30 dB of building loss (more RACH retries, weaker cells out of reach).',
    description: 'GOIP-8, basement (30 dB), 24 h.',
    cells: near(P(-29.312, 27.462)),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, P(-29.312, 27.462)),
      dens: [{ id: 'basement8', type: 'goip-8', operators: ['65102'], ...P(-29.3127, 27.4603), attenuation_db: 30 }],
      probes: [roof('west', 'roof-1', P(-29.311, 27.464))],
    },
  },
  {
    name: 'den-van-72h',
    comment: 'A GoIP-8 in a van that moves to another parking place every morning (powered off while driving, every SIM IMSI-attaches on arrival).',
    description: 'GOIP-8 in a van, three sites, 72 h; two probes.',
    cells: near(P(-29.315, 27.488), 3500),
    body: {
      start: '2026-03-03T00:00:00', duration_s: 259_200, population: pop(10_000, P(-29.315, 27.488), 3000),
      dens: [{ id: 'van8', type: 'goip-8', operators: ['65101'], van: { sites: [P(-29.305, 27.478), P(-29.325, 27.498), P(-29.312, 27.507)], move_at_h: 7.5 }, hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start_h: 9, end_h: 19 } }],
      probes: [roof('centre', 'roof-1', P(-29.315, 27.488)), roof('east', 'roof-2', P(-29.318, 27.503))],
    },
  },
  {
    name: 'den-goip-16-hbs-24h',
    comment: 'A GoIP-16 with vendor "human behaviour simulation": idle ports call each other (so den SIMs are paged too), more MT traffic, SIM rotation.',
    description: 'GOIP-16, inter-calling + MT + rotation, SDCCH probe, 24 h.',
    cells: near(P(-29.302, 27.486)),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, P(-29.302, 27.486)),
      dens: [{ id: 'hbs16', type: 'goip-16', operators: ['65101'], ...P(-29.3005, 27.4843), calls_per_port_per_h: 15, inter_calling: { calls_per_port_per_h: 3 }, mt_calls_per_sim_per_day: 3, rotation: { after_calls: 30 } }],
      probes: [roof('north', 'roof-1', P(-29.303, 27.488), SDCCH)],
    },
  },
  {
    name: 'neg-stadium-48h',
    comment: 'Hard negative: a 20,000-seat stadium, a Saturday afternoon match (arrivals, half-time and goal bursts, final whistle, leaving, LU wave), Friday–Saturday.',
    description: 'Stadium match, 15,000 attendance, SDCCH probe, 48 h, no den.',
    cells: near(STADIUM),
    body: {
      start: '2026-03-06T00:00:00', duration_s: 172_800, population: pop(10_000, STADIUM),
      crowds: [{ kind: 'stadium', id: 'stadium', ...STADIUM, radius_m: 120, attendance: 15_000, events: [{ start: '2026-03-07T15:00:00', duration_min: 105 }] }],
      probes: [roof('centre', 'roof-1', P(-29.3155, 27.4845), SDCCH)],
    },
  },
  {
    name: 'neg-station-24h',
    comment: 'Hard negative: a railway/taxi station in weekday rush hours — passengers arrive in clumps (one per train), stay minutes, and arrivals from other location areas update location on arrival.',
    description: 'Station rush hours, 2,000 passengers/h at peak, 24 h weekday.',
    cells: near(STATION),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, STATION),
      crowds: [{ kind: 'station', id: 'station', ...STATION, radius_m: 100, peak_passengers_per_h: 2000, from_other_la_share: 0.6 }],
      probes: [roof('centre', 'roof-1', P(-29.312, 27.481))],
    },
  },
  {
    name: 'neg-office-tower-48h',
    comment: 'Hard negative: an office tower of 1,500 workers, Monday–Tuesday, arrivals, lunch and coffee breaks.',
    description: 'Office tower, 1,500 workers, 48 h.',
    cells: near(TOWER),
    body: {
      start: '2026-03-02T00:00:00', duration_s: 172_800, population: pop(8000, TOWER),
      crowds: [{ kind: 'office', id: 'tower', ...TOWER, radius_m: 40, workers: 1500, shifts: [[8, 17]], breaks: [10.5, 12.5, 15.5] }],
      probes: [roof('centre', 'roof-1', P(-29.3155, 27.4835))],
    },
  },
  {
    name: 'neg-night-factory-48h',
    comment: 'Hard negative: a factory with a night shift (22–06) and a day shift, 1,200 workers, break at 02:00.',
    description: 'Night-shift factory, 1,200 workers, 48 h.',
    cells: near(FACTORY),
    body: {
      start: '2026-03-03T00:00:00', duration_s: 172_800, population: pop(8000, FACTORY),
      crowds: [{ kind: 'factory', id: 'factory', ...FACTORY, radius_m: 150, workers: 1200, shifts: [[6, 14], [22, 6]], breaks: [10, 2] }],
      probes: [roof('industrial', 'roof-1', P(-29.3395, 27.512))],
    },
  },
  {
    name: 'neg-market-day-24h',
    comment: 'Hard negative: a Saturday market, 300 traders and 5,000 visitors.',
    description: 'Market day, 24 h Saturday.',
    cells: near(MARKET),
    body: {
      start: '2026-03-07T00:00:00', duration_s: 86_400, population: pop(8000, MARKET),
      crowds: [{ kind: 'market', id: 'market', ...MARKET, radius_m: 150, visitors: 5000, traders: 300 }],
      probes: [roof('west', 'roof-1', P(-29.311, 27.477))],
    },
  },
  {
    name: 'neg-call-centre-24h',
    comment: 'Hard negative: a legitimate call centre, 40 human agents on their phones — inbound calls queued to free agents (answer to paging), outbound calls, human talk and wrap-up times, lunch breaks, weekday office hours.',
    description: 'Call centre, 40 agents, SDCCH probe, 24 h weekday.',
    cells: near(CALL_CENTRE),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, CALL_CENTRE),
      crowds: [{ kind: 'call_centre', id: 'callcentre', ...CALL_CENTRE, agents: 40, hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start_h: 8, end_h: 17 } }],
      probes: [roof('east', 'roof-1', P(-29.3215, 27.497), SDCCH)],
    },
  },
  {
    name: 'neg-small-cell-24h',
    comment: 'Hard negative: an in-building small cell (a shopping mall) — staff and 3,000 shoppers all camp on it at TA 0. The cell identity and position are a real row; its being a 23 dBm in-building cell is simulated.',
    description: 'Indoor small cell, everything at TA 0, Saturday 24 h.',
    cells: near(P(-29.323, 27.499)),
    smallCellCi: -1,
    body: {
      start: '2026-03-07T00:00:00', duration_s: 86_400, population: pop(8000, P(-29.323, 27.499)),
      crowds: [{ kind: 'small_cell', id: 'mall', lat_deg: 0, lon_deg: 0, cell_ci: 0, radius_m: 60, visitors_per_day: 3000, staff: 150 }],
      probes: [roof('east', 'roof-1', P(-29.3215, 27.4975))],
    },
  },
  {
    name: 'neg-heavy-user-24h',
    comment: 'Hard negative: one heavy user (a dispatcher) with ~60 calls and ~250 SMS a day, SMS in bursts of 12 within a minute.',
    description: 'One heavy user, 24 h.',
    cells: near(HEAVY),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, HEAVY),
      crowds: [{ kind: 'heavy_user', id: 'dispatcher', ...HEAVY }],
      probes: [roof('centre', 'roof-1', P(-29.3135, 27.488))],
    },
  },
  {
    name: 'neg-train-line-24h',
    comment: 'Hard negative: a train line across town (an illustrative route), two runs an hour of ~200 passengers who change cells and location-update in a wave at each location-area boundary; a probe in a car drives a loop.',
    description: 'Train line, moving probe, SDCCH probe on the roof, 24 h.',
    cells: near(P(-29.322, 27.493), 4500),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, P(-29.322, 27.493), 3500),
      routes: [{ id: 'line-1', points: [[-29.3, 27.445], [-29.312, 27.47], [-29.322, 27.495], [-29.338, 27.52], [-29.35, 27.545]] }],
      crowds: [{ kind: 'train', id: 'train', route: 'line-1', passengers: 200, runs_per_h: 2 }],
      probes: [roof('centre', 'roof-1', P(-29.32, 27.49), SDCCH), { site: 'mobile', probe: 'car-1', route: { points: [[-29.31, 27.47], [-29.32, 27.5], [-29.335, 27.49], [-29.31, 27.47]], speed_kmh: 25 } }],
    },
  },
  {
    name: 'mixed-stadium-goip32-6h',
    comment: 'Mixed: a GoIP-32 a few hundred metres from a stadium during a Saturday match (the den hides in the crowd\'s cells).',
    description: 'Stadium match + GOIP-32 nearby, 6 h.',
    cells: near(STADIUM),
    body: {
      start: '2026-03-07T12:00:00', duration_s: 21_600, population: pop(8000, STADIUM),
      crowds: [{ kind: 'stadium', id: 'stadium', ...STADIUM, radius_m: 120, attendance: 15_000, events: [{ start: '2026-03-07T15:00:00', duration_min: 105 }] }],
      dens: [{ id: 'goip32', type: 'goip-32', ...P(-29.3198, 27.4902) }],
      probes: [roof('centre', 'roof-1', P(-29.3155, 27.4845))],
    },
  },
  {
    name: 'mixed-callcentre-catpool-24h',
    comment: 'Mixed: a legitimate call centre and a 64-SIM cat pool in neighbouring buildings, same cells.',
    description: 'Call centre + cat-pool-64, 24 h weekday.',
    cells: near(CALL_CENTRE),
    body: {
      start: '2026-03-04T00:00:00', duration_s: 86_400, population: pop(8000, CALL_CENTRE),
      crowds: [{ kind: 'call_centre', id: 'callcentre', ...CALL_CENTRE, agents: 40, hours: 'office' }],
      dens: [{ id: 'pool64', type: 'cat-pool-64', ...P(-29.3247, 27.5003), calls_per_port_per_h: 12, hours: 'office' }],
      probes: [roof('east', 'roof-1', P(-29.3215, 27.497))],
    },
  },
  {
    name: 'mixed-city-72h',
    comment: 'Mixed city, Friday to Sunday: 20,000 people, a Saturday match, a station, an office tower, a night factory, a Saturday market, a call centre, a heavy user — and three dens (a stealth GoIP-8 with rotation, an office-hours GoIP-16, a night GoIP-32); two roof probes.',
    description: 'Everything together, 72 h; the south probe follows the SDCCH.',
    cells: { center: P(-29.322, 27.495), radius_m: 4500, min_site_spacing_m: 450, max_cells_per_operator: 40 },
    body: {
      start: '2026-03-06T00:00:00', duration_s: 259_200, population: { subscribers: 20_000, center: P(-29.32, 27.49), radius_m: 4000 },
      crowds: [
        { kind: 'stadium', id: 'stadium', ...STADIUM, radius_m: 120, attendance: 12_000, events: [{ start: '2026-03-07T15:00:00', duration_min: 105 }] },
        { kind: 'station', id: 'station', ...STATION, radius_m: 100, peak_passengers_per_h: 1500 },
        { kind: 'office', id: 'tower', ...TOWER, radius_m: 40, workers: 1200, breaks: [10.5, 12.5, 15.5] },
        { kind: 'factory', id: 'factory', ...FACTORY, radius_m: 150, workers: 900, shifts: [[6, 14], [22, 6]], breaks: [10, 2] },
        { kind: 'market', id: 'market', ...MARKET, radius_m: 150, visitors: 4000, traders: 250 },
        { kind: 'call_centre', id: 'callcentre', ...CALL_CENTRE, agents: 30, hours: 'office' },
        { kind: 'heavy_user', id: 'dispatcher', ...HEAVY },
      ],
      dens: [
        { id: 'stealth8', type: 'goip-8', operators: ['65101'], ...P(-29.3362, 27.4731), calls_per_port_per_h: 10, rotation: { after_calls: 30, block_probability: 0.01 } },
        { id: 'office16', type: 'goip-16', ...P(-29.3192, 27.4958), hours: 'office' },
        { id: 'night32', type: 'goip-32', operators: ['65101'], ...P(-29.3005, 27.5021), hours: 'night' },
      ],
      probes: [roof('centre', 'roof-1', P(-29.315, 27.486)), roof('south', 'roof-2', P(-29.333, 27.5), SDCCH)],
    },
  },
];

function cellYaml(c: PickedCell, smallCell: boolean): Record<string, unknown> {
  return {
    mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci, arfcn: c.arfcn, lat_deg: c.lat_deg, lon_deg: c.lon_deg,
    ...(c.azimuth_deg !== undefined && !smallCell ? { azimuth_deg: c.azimuth_deg } : {}),
    ...(smallCell ? { kind: 'small_cell', tx_power_dbm: 23, range_m: 80 } : {}),
  };
}

const HEADER = (spec: Spec) => `# ${spec.comment}
# Cells: real GSM towers (MCC 651; MNC 01 Vodacom Lesotho, MNC 02 Econet Telecom Lesotho) picked by
# scripts/make-scenarios.ts from the OpenCelliD-format export TokaMokoma/Cell-Tower-Distribution-in-Lesotho,
# LesothoCellTowersData.csv (shared/data/cells; OpenCelliD data CC BY-SA 4.0; docs/data-provenance.md): the
# MCC/MNC/LAC/CI and positions are the real rows; ARFCNs and sector azimuths are assigned (OpenCelliD has
# none). People, crowds, dens and probes are simulated; models and sources in docs/simulator.md.
# Generated: edit scripts/make-scenarios.ts and rerun it rather than this file.
`;

for (const spec of SPECS) {
  const cells = pickCells(rows, spec.cells);
  let smallCi: number | undefined;
  const body = structuredClone(spec.body);
  if (spec.smallCellCi !== undefined) {
    // The real cell nearest the mall becomes its in-building cell; the crowd sits at its position.
    const centre = spec.cells.center;
    const nearest = [...cells].filter((c) => c.mnc === '01').sort((a, b) => Math.hypot(a.lat_deg - centre.lat_deg, a.lon_deg - centre.lon_deg) - Math.hypot(b.lat_deg - centre.lat_deg, b.lon_deg - centre.lon_deg))[0]!;
    smallCi = nearest.ci;
    const crowd = (body.crowds as Array<Record<string, unknown>>)[0]!;
    crowd.cell_ci = smallCi;
    crowd.lat_deg = nearest.lat_deg;
    crowd.lon_deg = nearest.lon_deg;
  }
  const doc = {
    name: spec.name,
    description: spec.description,
    seed: [...spec.name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7) % 1_000_000,
    utc_offset_h: 2,
    ...body,
    operators: OPERATORS,
    cells: cells.map((c) => cellYaml(c, c.ci === smallCi)),
  };
  const check = parseScenario(doc);
  if (!check.ok) throw new Error(`${spec.name}: ${check.detail}`);
  const yaml = stringify(doc, { lineWidth: 0, flowCollectionPadding: true, collectionStyle: 'block' })
    // One line per cell and per short list keeps the files readable.
    .replace(/\n {2}- mcc: "?(\d+)"?\n {4}mnc: "?(\d+)"?\n {4}lac: (\d+)\n {4}ci: (\d+)\n {4}arfcn: (\d+)\n {4}lat_deg: ([-\d.]+)\n {4}lon_deg: ([-\d.]+)((?:\n {4}\w+: [^\n]+)*)/g, (_m, mcc, mnc, lac, ci, arfcn, lat, lon, rest: string) => {
      const extra = rest
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.trim())
        .join(', ');
      return `\n  - { mcc: "${mcc}", mnc: "${mnc}", lac: ${lac}, ci: ${ci}, arfcn: ${arfcn}, lat_deg: ${lat}, lon_deg: ${lon}${extra ? `, ${extra}` : ''} }`;
    });
  const path = join(ROOT, 'simulator', 'scenarios', `${spec.name}.yaml`);
  writeFileSync(path, HEADER(spec) + yaml);
  process.stdout.write(`${path}: ${cells.length} cells\n`);
}
