/**
 * The registered probes and their Ed25519 public keys, looked up by (site, probe). Built once from
 * config; keys are parsed at build time so a bad key is a startup error, not a per-message one.
 * Must not hold MQTT passwords (the broker's authenticator reads those from config itself).
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyFromText } from '@simhound/protocol';

export interface RegisteredProbe {
  site: string;
  probe: string;
  public_key: string;
  key: KeyObject;
}

export class ProbeRegistry {
  private readonly byName = new Map<string, RegisteredProbe>();

  constructor(probes: ReadonlyArray<{ site: string; probe: string; public_key: string }>) {
    for (const p of probes) {
      this.byName.set(ProbeRegistry.keyOf(p.site, p.probe), { site: p.site, probe: p.probe, public_key: p.public_key, key: publicKeyFromText(p.public_key) });
    }
  }

  static keyOf(site: string, probe: string): string {
    return `${site}/${probe}`;
  }

  get(site: string, probe: string): RegisteredProbe | undefined {
    return this.byName.get(ProbeRegistry.keyOf(site, probe));
  }

  list(): RegisteredProbe[] {
    return [...this.byName.values()];
  }
}
