/**
 * The edge agent with an `iq` source, end to end on a real broker (aedes on loopback): the real GSM
 * recording becomes signed observation messages on simhound/v1/<site>/<probe>/observation (channel
 * power, slot occupancy, band scan), each valid against the contract and verified with the probe's
 * key, and the probe's status reports the iq source's health. A simulated uplink recording of a den
 * goes through the agent's uplink-multislot detector.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { Value } from '@sinclair/typebox/value';
import { createLogger, generateSigningKeyPair, observationTopic, parseEnvelope, publicKeyFromText, statusTopic, verifyEnvelope, silentLogger, type LogFields, type ObservationBody, type StatusBody } from '@simhound/protocol';
import { IqSceneGenerator, writeSceneIq, type IqScene } from '@simhound/simulator';
import { arfcnToFrequency } from '../../src/iq/gsm-bands.js';
import { EdgeConfigSchema, type EdgeConfig } from '../../src/config.js';
import { startEdgeAgent } from '../../src/agent.js';

const REAL_IQ = join(import.meta.dirname, '..', 'vectors', 'iq', 'GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('edge agent with an iq source', () => {
  it('publishes the recording\'s SDR observations, signed, and reports the source in its status', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cleanups.push(() => new Promise<void>((r) => server.close(() => broker.close(() => r()))));

    const dir = mkdtempSync(join(tmpdir(), 'simhound-agent-iq-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const keys = generateSigningKeyPair();
    writeFileSync(join(dir, 'probe.pem'), keys.private_key_pem);
    writeFileSync(join(dir, 'pseudonym.key'), Buffer.alloc(32, 7));

    const sub = await mqtt.connectAsync(url, { clientId: `sub-${process.pid}` });
    cleanups.push(() => sub.endAsync(true));
    const received: Array<{ topic: string; payload: Buffer }> = [];
    sub.on('message', (topic, payload) => received.push({ topic, payload }));
    await sub.subscribeAsync([observationTopic('lab', 'sdr-1'), statusTopic('lab', 'sdr-1')], { qos: 1 });

    const config = Value.Default(EdgeConfigSchema, {
      site: 'lab', probe: 'sdr-1',
      keys: { signing_key_file: join(dir, 'probe.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
      mqtt: { url },
      outbox: { path: join(dir, 'outbox.db') },
      sources: [{ kind: 'iq', name: 'usrp', path: REAL_IQ, sample_rate_hz: 500_000, center_freq_hz: 941e6, calibration_db: -120, report_interval_s: 0.1 }],
    }) as EdgeConfig;
    expect(Value.Check(EdgeConfigSchema, config), JSON.stringify([...Value.Errors(EdgeConfigSchema, config)].map((e) => e.path))).toBe(true);
    const agent = await startEdgeAgent(config, { log: silentLogger });
    cleanups.push(() => agent.stop());
    await agent.finiteSourcesDone;

    const deadline = Date.now() + 10_000;
    const observations = () =>
      received.filter((m) => m.topic.endsWith('/observation')).flatMap((m) => {
        const env = parseEnvelope(m.payload);
        if (!env.ok || env.value.kind !== 'observation') throw new Error(`bad observation message: ${env.ok ? env.value.kind : env.reason}`);
        expect(verifyEnvelope(env.value, publicKeyFromText(keys.public_key))).toBe(true);
        return (env.value.body as ObservationBody).observations;
      });
    while (Date.now() < deadline && !observations().some((o) => o.type === 'band_scan')) await new Promise((r) => setTimeout(r, 50));
    const types = observations().map((o) => o.type);
    expect(types.filter((t) => t === 'channel_power')).toHaveLength(2);
    expect(types.filter((t) => t === 'slot_occupancy')).toHaveLength(2);
    expect(types.filter((t) => t === 'band_scan')).toHaveLength(1);
    const power = observations().find((o) => o.type === 'channel_power')!;
    expect(power).toMatchObject({ arfcn: 30, link: 'downlink', freq_hz: 941_000_000, bsic: 32 });

    const status: StatusBody = agent.status();
    expect(status.sources).toEqual([expect.objectContaining({ source_name: 'usrp', source_kind: 'iq', state: 'finished', frames_total: 2_500, rejected_total: 0 })]);
  }, 30_000);

  it('runs uplink-multislot on the SDR\'s uplink reports: a simulated den of 6 modems is reported as near the probe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simhound-agent-iq-ul-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const keys = generateSigningKeyPair();
    writeFileSync(join(dir, 'probe.pem'), keys.private_key_pem);
    writeFileSync(join(dir, 'pseudonym.key'), Buffer.alloc(32, 7));
    const ul = (arfcn: number) => arfcnToFrequency('GSM900', arfcn, 'uplink')!;
    const transmitters: IqScene['transmitters'][number][] = [];
    for (let s = 1; s <= 6; s++) transmitters.push({ id: `den-${s}`, freq_hz: ul(62), power_dbfs: -30, power_jitter_db: 0.5, link: 'uplink', pattern: 'slots', slots: [s], ta_steps: 6 });
    const rate = 2_400_000;
    const path = join(dir, 'uplink.cu8');
    writeSceneIq(new IqSceneGenerator({ sample_rate_hz: rate, center_freq_hz: ul(60), seed: 5, noise_dbfs: -45, transmitters }), path, 'cu8', 3 * rate);

    const lines: Array<{ msg: string; fields?: LogFields }> = [];
    const log = createLogger({ level: 'info', sink: (l) => lines.push({ msg: l.msg, fields: l.fields }) });
    const config = Value.Default(EdgeConfigSchema, {
      site: 'lab', probe: 'sdr-2',
      keys: { signing_key_file: join(dir, 'probe.pem'), pseudonym_key_file: join(dir, 'pseudonym.key') },
      // No broker: the agent keeps what it would publish in its outbox.
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      outbox: { path: join(dir, 'outbox.db') },
      sources: [{ kind: 'iq', name: 'rtl', path, sample_rate_hz: rate, center_freq_hz: ul(60), report_interval_s: 0.5 }],
      // The test's scale: a 2.5-s horizon of 0.5-s reports (the default is 10 min of 10-s reports).
      detectors: { uplink_multislot: { horizon_s: 2.5, chance_run_s: 0.5, strong_evidence: 5 } },
    }) as EdgeConfig;
    expect(Value.Check(EdgeConfigSchema, config)).toBe(true);
    const agent = await startEdgeAgent(config, { log });
    cleanups.push(() => agent.stop());
    await agent.finiteSourcesDone;
    const held = lines.find((l) => l.msg.startsWith('uplink-multislot: equal-power transmitters'));
    expect(held, lines.map((l) => l.msg).join('\n')).toBeDefined();
    expect(held!.fields).toMatchObject({ level: 'strong' });
    expect(String(held!.fields!.reason)).toMatch(/^6 uplink timeslots on ARFCN 62/);
  }, 60_000);
});
