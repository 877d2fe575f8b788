/**
 * The edge agent with an `iq` source, end to end on a real broker (aedes on loopback): the real GSM
 * recording becomes signed observation messages on simhound/v1/<site>/<probe>/observation (channel
 * power, slot occupancy, band scan), each valid against the contract and verified with the probe's
 * key, and the probe's status reports the iq source's health.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { Value } from '@sinclair/typebox/value';
import { generateSigningKeyPair, observationTopic, parseEnvelope, publicKeyFromText, statusTopic, verifyEnvelope, silentLogger, type ObservationBody, type StatusBody } from '@simhound/protocol';
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
});
