/**
 * The demo's uplink side: three fixed probes with an uplink receiver and one unit on foot, each a
 * registered probe with its own key that
 * publishes signed observation messages. They hear the den's access bursts through the simulator's uplink
 * channel (simulator/src/uplink/), tied to the den's (cell, TA) as an edge that matched RA + frame number
 * against the Immediate Assignment would. As in the evaluation, the fixed probes are set up 300 m around
 * the collector's first estimate of a den seen from two cells (120° apart); the unit on foot starts from
 * the first of them once those probes have located the den, asks the collector where to walk
 * (GET /api/dens/:id/guidance, like the page), and walks there.
 *
 * The den's accesses come from a second copy of the live world (same scenario, seed and start time: the
 * same events), so nothing in the simulator's live runner changes. Must not read the ground truth.
 */
import { bearingDeg, destination, distanceM, type LatLon } from '@simhound/geo';
import { EnvelopeFactory, observationTopic, privateKeyFromPem, statusTopic, type Logger, type UplinkBurstObservation } from '@simhound/protocol';
import { DenUplinkGenerator, World, createRandom, fixedProbe, frameNumberAt, type DenAccess, type Scenario, type UplinkProbe } from '@simhound/simulator';

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

interface Runner {
  spec: DemoUplinkProbe;
  id: string;
  client: MqttClient;
  factory: EnvelopeFactory;
  probe: UplinkProbe | null;
  position: LatLon | null;
  pending: UplinkBurstObservation[];
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
  const world = new World(o.scenario, o.start_ts_ms);
  const cells = o.scenario.cells;
  const dens = o.scenario.dens;
  if (dens.length === 0) throw new Error('the demo scenario has no den');
  // The channel needs the den's position: the simulator's world places it; the collector never sees it.
  const gen = new DenUplinkGenerator(dens[0]!, createRandom(o.scenario.seed).fork('demo-uplink'), { tie: true });
  const runners: Runner[] = [];
  let unit: LatLon | null = null;
  let unitTarget: LatLon | null = null;
  let unitPhase: string | null = null;
  let simNow = o.start_ts_ms;
  const walk = o.walk_mps ?? 1.4;
  for (const spec of o.probes) {
    const client = await connectProbe(o.mqttUrl, o.site, spec);
    const factory = new EnvelopeFactory(o.site, spec.probe, privateKeyFromPem(spec.private_key_pem));
    runners.push({ spec, id: `${o.site}/${spec.probe}`, client, factory, probe: null, position: null, pending: [] });
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
    for (const e of world.advance(until)) {
      if (e.kind !== 'assignment' || !e.origin.startsWith('den:')) continue;
      const c = cells[e.cell_index]!;
      accesses.push({ ts_ms: e.request_ts_ms, fn: frameNumberAt(e.request_ts_ms), ra: 0xe0 | (Math.floor(e.request_ts_ms) & 0x1f), arfcn: c.arfcn, cell: { mcc: c.mcc, mnc: c.mnc, lac: c.lac, ci: c.ci }, ta_steps: e.ta_steps });
    }
    simNow = until;
    for (const r of runners) {
      if (r.probe === null) continue;
      for (const a of accesses) {
        const obs = gen.hear(r.probe, a);
        if (obs !== null) r.pending.push(obs);
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
      type DenView = { id: string; estimate: { ml_point: LatLon; inputs: { rings: number; rssi_bins: number } } | null };
      const dens = ((await list.json()) as { dens: DenView[] }).dens;
      // Set up the fixed probes around the first estimate of a den seen from two cells.
      const ringed = dens.find((d) => d.estimate !== null && d.estimate.inputs.rings >= 2);
      if (ringed !== undefined && fixedRunners.some((r) => r.position === null)) {
        const turn = 30;
        fixedRunners.forEach((r, i) => {
          const at = destination(ringed.estimate!.ml_point, turn + (360 * i) / fixedRunners.length, DEMO_FIXED_RADIUS_M);
          r.position = at;
          r.probe = fixedProbe(r.id, at);
          publishStatus(r, at, 'config');
        });
        o.log.info('fixed uplink probes set up around the first estimate', { den: ringed.id, probes: fixedRunners.length });
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
