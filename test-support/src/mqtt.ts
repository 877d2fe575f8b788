/**
 * MQTT helpers for tests: connect a client (Nagle off, unique clientId, no reconnect storms), publish
 * and wait for the PUBACK, and wait for a connect to be refused. Test-only.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export type { MqttClient };

/** Connect and resolve once CONNACK says yes; reject with the broker's refusal otherwise. */
export function connectMqtt(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: `test-${randomBytes(6).toString('hex')}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    protocolVersion: 4,
    ...options,
  });
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      client.removeListener('connect', onConnect);
      client.end(true);
      reject(e);
    };
    const onConnect = () => {
      client.removeListener('error', onError);
      resolve(client);
    };
    client.once('connect', onConnect);
    client.once('error', onError);
  });
}

/** Publish (QoS 1 by default) and resolve when the broker acknowledged it. */
export async function publishAndWait(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
  options: { qos?: 0 | 1; retain?: boolean } = {},
): Promise<void> {
  await client.publishAsync(topic, payload, { qos: options.qos ?? 1, retain: options.retain ?? false });
}

/** Poll `probe` until it returns a non-undefined value; reject after `timeout_ms` with `what`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeout_ms = 10_000): Promise<T> {
  const deadline = Date.now() + timeout_ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout_ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Disconnect; `force` skips waiting for in-flight messages (needed once the broker has dropped us). */
export async function endMqtt(client: MqttClient, force = false): Promise<void> {
  await client.endAsync(force);
}
