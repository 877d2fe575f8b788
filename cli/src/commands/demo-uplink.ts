/**
 * The demo's uplink side: three fixed probes with an uplink receiver and one unit on foot, each a
 * registered probe with its own key that
 * publishes signed observation messages. They hear the den's access bursts through the simulator's uplink
 * channel (simulator/src/uplink/), tied to the den's (cell, TA) as an edge that matched RA + frame number
 * against the Immediate Assignment would. The fixed probes are set up when the collector first locates a
 * den: 300 m around its estimate (120° apart) when two or more TA rings meet, as in the evaluation. When one
 * cell alone sees it, the posterior is a ring with no favoured sector (its ML point's bearing is arbitrary),
 * so the team deploys in two stages, as in the field: first the probes go on the ring, a third of the way
 * round from each other, to find which sector the den is in; once one of them hears bursts and the
 * collector's estimate has taken them in, each probe that has heard nothing for DEMO_RESITE_AFTER_S of
 * simulated time is moved to 300 m around the collector's new ML point (the same layout as for two rings),
 * and again later if it still hears nothing. Only the collector's estimate is used, never the den's true
 * position. The unit on foot starts from the first of them once those probes have located the den, asks
 * the collector where to walk (GET /api/dens/:id/guidance, like the page), and walks there.
 *
 * The den's accesses come from a second copy of the live world (same scenario, seed, start and end: the
 * same events): every Immediate Assignment the world sends for the den gives the request's RA, frame
 * number, cell and TA. The den's position (for the radio channel) is the world's; the collector is never
 * told it.
 */
import { bearingDeg, destination, distanceM, type LatLon } from '@simhound/geo';
import { EnvelopeFactory, observationTopic, privateKeyFromPem, statusTopic, type Logger, type UplinkBurstObservation } from '@simhound/protocol';
import { DenUplinkGenerator, FN_MODULUS, FRAME_MS, World, createRandom, fixedProbe, type AirEvent, type DenAccess, type Scenario, type UplinkProbe } from '@simhound/simulator';

import { connect, type MqttClient } from 'mqtt';

export interface DemoUplinkProbe {
  probe: string;
  private_key_pem: string;
  mqtt_password: string;
  /** Fixed probe (set up around the first estimate) or the unit on foot (starts at the first fixed probe). */
  role: 'fixed' | 'foot';
}

export interface DemoUplinkOptions {
  scenario: Scenario;
  /** Where the world put the den (its radio channel starts there). */
  den: LatLon;
  site: string;
  start_ts_ms: number;
  speed: number;
  mqttUrl: string;
  httpUrl: string;
  token: string;
  probes: DemoUplinkProbe[];
  log: Logger;
  /** Walking speed of the unit, m/s of simulated time. */
  walk_mps?: number;
}

/** Fixed probes go up this far from the first estimate. */
export const DEMO_FIXED_RADIUS_M = 300;
/** One-ring stage 2: a fixed probe that has heard nothing for this long (simulated s) is moved near the estimate. */
export const DEMO_RESITE_AFTER_S = 120;

interface Runner {
  spec: DemoUplinkProbe;
  id: string;
  client: MqttClient;
  factory: EnvelopeFactory;
  probe: UplinkProbe | null;
  position: LatLon | null;
  pending: UplinkBurstObservation[];
  /** Bursts heard since it was set up, and when (simulated ms) it was last set up. */
  heard: number;
  sited_ts_ms: number;
}

export interface DemoUplink {
  counters(): { bursts_published: number; fixed: Array<LatLon | null>; unit: LatLon | null; unit_phase: string | null };
  stop(): Promise<void>;
}

async function connectProbe(url: string, site: string, p: DemoUplinkProbe): Promise<MqttClient> {
  const client = connect(url, { username: `${site}/${p.probe}`, password: p.mqtt_password, clientId: `${site}-${p.probe}-demo`, reconnectPeriod: 1000 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export async function startDemoUplink(o: DemoUplinkOptions): Promise<DemoUplink> {
  const world = new World(o.scenario, { start_ts_ms: o.start_ts_ms, end_ts_ms: o.start_ts_ms + o.scenario.duration_s * 1000 });
  const gen = new DenUplinkGenerator(o.den, createRandom(o.scenario.seed).fork('demo-uplink'), { tie: true });
  const runners: Runner[] = [];
  let unit: LatLon | null = null;
  let unitTarget: LatLon | null = null;
  let unitPhase: string | null = null;
  let simNow = o.start_ts_ms;
  const walk = o.walk_mps ?? 1.4;
  for (const spec of o.probes) {
    const client = await connectProbe(o.mqttUrl, o.site, spec);
    const factory = new EnvelopeFactory(o.site, spec.probe, privateKeyFromPem(spec.private_key_pem));
    runners.push({ spec, id: `${o.site}/${spec.probe}`, client, factory, probe: null, position: null, pending: [], heard: 0, sited_ts_ms: 0 });
  }
  const publishStatus = (r: Runner, position: LatLon, source: 'config' | 'gps') => {
    const status = r.factory.make('status', {
      state: 'online', software_version: 'demo', started_ts_ms: o.start_ts_ms, uptime_s: Math.max(0, (Date.now() - o.start_ts_ms) / 1000),
      position: { ...position, position_source: source }, sources: [], outbox_depth: 0, detections_total: 0,
    });
    r.client.publish(statusTopic(o.site, r.spec.probe), JSON.stringify(status), { qos: 1, retain: true });
  };
  const footRunner = runners.find((r) => r.spec.role === 'foot') ?? null;
  const fixedRunners = runners.filter((r) => r.spec.role === 'fixed');
  let published = 0;
  let stopped = false;

  const tick = () => {
    const wallNow = Date.now();
    const until = o.start_ts_ms + (wallNow - o.start_ts_ms) * o.speed;
    const dt_s = (until - simNow) / 1000;
    // Move the unit toward its target.
    if (unit !== null && unitTarget !== null) {
      const d = distanceM(unit, unitTarget);
      const step = Math.min(d, walk * dt_s);
      if (step > 0.01) unit = destination(unit, bearingDeg(unit, unitTarget), step);
    }
    const accesses: DenAccess[] = [];
    world.advance(until, (e: AirEvent) => {
      if (e.kind !== 'assignment' || e.repeat) return;
      const c = world.cells[e.cell_index]!.cfg;
      for (const a of e.entries) {
        if (!a.origin.startsWith('den:')) continue;
        const framesBefore = (((e.fn - a.request_fn) % FN_MODULUS) + FN_MODULUS) % FN_MODULUS;
        accesses.push({ ts_ms: e.ts_ms - framesBefore * FRAME_MS, fn: a.request_fn, ra: a.ra, arfcn: c.arfcn, cell: { mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci }, ta_steps: a.ta_steps });
      }
    });
    simNow = until;
    for (const r of runners) {
      if (r.probe === null) continue;
      for (const a of accesses) {
        const obs = gen.hear(r.probe, a);
        if (obs !== null) {
          r.pending.push(obs);
          r.heard++;
        }
      }
      while (r.pending.length > 0) {
        const batch = r.pending.splice(0, 500);
        r.client.publish(observationTopic(o.site, r.spec.probe), JSON.stringify(r.factory.make('observation', { observations: batch })), { qos: 1 });
        published += batch.length;
      }
    }
  };

  const guide = async () => {
    try {
      const list = await fetch(`${o.httpUrl}/api/dens?limit=5`, { headers: { authorization: `Bearer ${o.token}` } });
      type DenView = {
        id: string;
        places: Array<{ cell_position: LatLon | null; range_min_m: number; range_max_m: number }>;
        estimate: { ml_point: LatLon; inputs: { rings: number; rssi_bins: number } } | null;
      };
      const dens = ((await list.json()) as { dens: DenView[] }).dens;
      const located = dens.find((d) => d.estimate !== null && d.estimate.inputs.rings >= 1);
      const site = (r: Runner, at: LatLon) => {
        r.position = at;
        r.probe = fixedProbe(r.id, at);
        r.heard = 0;
        r.sited_ts_ms = simNow;
        publishStatus(r, at, 'config');
      };
      // Around the estimate, 120° apart (the evaluation's layout).
      const aroundEstimate = (e: { ml_point: LatLon }, i: number) => destination(e.ml_point, 30 + (360 * i) / fixedRunners.length, DEMO_FIXED_RADIUS_M);
      if (located !== undefined && fixedRunners.some((r) => r.position === null)) {
        const e = located.estimate!;
        const ring = located.places.find((p) => p.cell_position !== null);
        fixedRunners.forEach((r, i) => {
          if (e.inputs.rings >= 2 || ring === undefined) site(r, aroundEstimate(e, i));
          else {
            // Stage 1 of a one-ring posterior: spread along the ring to find the den's sector.
            const c = ring.cell_position!;
            site(r, destination(c, bearingDeg(c, e.ml_point) + (360 * i) / fixedRunners.length, (ring.range_min_m + ring.range_max_m) / 2));
          }
        });
        o.log.info('fixed uplink probes set up', { den: located.id, rings: e.inputs.rings, probes: fixedRunners.length });
      } else if (located !== undefined && located.estimate!.inputs.rssi_bins >= 1 && fixedRunners.some((r) => r.heard > 0)) {
        // Stage 2: bursts are heard somewhere and the estimate has taken them in; probes that still hear
        // nothing move to around its ML point.
        const e = located.estimate!;
        const moved: string[] = [];
        fixedRunners.forEach((r, i) => {
          if (r.heard > 0 || simNow - r.sited_ts_ms < DEMO_RESITE_AFTER_S * 1000) return;
          site(r, aroundEstimate(e, i));
          moved.push(r.spec.probe);
        });
        if (moved.length > 0) o.log.info('deaf uplink probes moved near the estimate', { den: located.id, probes: moved });
      }
      if (footRunner === null) return;
      const den = dens.find((d) => d.estimate !== null && d.estimate.inputs.rssi_bins >= fixedRunners.length);
      if (den === undefined || fixedRunners[0]?.position == null) return;
      if (unit === null) {
        unit = fixedRunners[0].position;
        footRunner.probe = { id: footRunner.id, moving: true, positionAt: () => unit! };
        o.log.info('fox hunt: the unit on foot sets off', { den: den.id });
      }
      const r = await fetch(`${o.httpUrl}/api/dens/${den.id}/guidance?lat_deg=${unit.lat_deg}&lon_deg=${unit.lon_deg}`, { headers: { authorization: `Bearer ${o.token}` } });
      if (!r.ok) return;
      const g = (await r.json()) as { phase: string; target: LatLon };
      unitPhase = g.phase;
      unitTarget = g.phase === 'done' ? null : g.target;
      publishStatus(footRunner, unit, 'gps');
    } catch (e) {
      o.log.debug('fox-hunt guidance not available yet', { error: (e as Error).message });
    }
  };

  const timer = setInterval(() => {
    if (!stopped) tick();
  }, 250);
  const guideTimer = setInterval(() => {
    if (!stopped) void guide();
  }, 2000);
  return {
    counters: () => ({ bursts_published: published, fixed: fixedRunners.map((r) => r.position), unit, unit_phase: unitPhase }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clearInterval(guideTimer);
      await Promise.all(runners.map((r) => r.client.endAsync()));
    },
  };
}
