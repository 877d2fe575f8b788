/**
 * Probe and user identities for tests: a real Ed25519 key pair with an EnvelopeFactory for signed
 * messages, a random MQTT password (username `<site>/<probe>`, as the broker ACL expects), and API
 * users with random bearer tokens. Test-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EnvelopeFactory, generateSigningKeyPair, privateKeyFromPem } from '@simhound/protocol';

export type TestRole = 'field' | 'investigator' | 'case_officer' | 'admin';

export interface TestProbe {
  site: string;
  probe: string;
  public_key: string;
  private_key_pem: string;
  mqtt_username: string;
  mqtt_password: string;
  mqtt_password_sha256: string;
  factory: EnvelopeFactory;
}

export interface TestUser {
  name: string;
  role: TestRole;
  token: string;
  token_sha256: string;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function makeProbe(site: string, probe: string, clock?: () => number): TestProbe {
  const keys = generateSigningKeyPair();
  const mqtt_password = randomBytes(18).toString('base64url');
  return {
    site,
    probe,
    public_key: keys.public_key,
    private_key_pem: keys.private_key_pem,
    mqtt_username: `${site}/${probe}`,
    mqtt_password,
    mqtt_password_sha256: sha256Hex(mqtt_password),
    factory: new EnvelopeFactory(site, probe, privateKeyFromPem(keys.private_key_pem), clock),
  };
}

export function makeUser(name: string, role: TestRole): TestUser {
  const token = randomBytes(24).toString('base64url');
  return { name, role, token, token_sha256: sha256Hex(token) };
}
