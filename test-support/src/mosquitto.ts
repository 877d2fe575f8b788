/**
 * Starts a real mosquitto broker for a test: temp config on a free loopback port, per-user passwords
 * (written with mosquitto_passwd, so hashing is mosquitto's own) and a per-user ACL file, tuned as
 * TOOLCHAIN.md says (Nagle off, unlimited queue so QoS 1 under load is not dropped).
 *
 * Why passwords + ACL rather than allow_anonymous: that is how a deployment runs (every device has its
 * own credentials and may write only its own topics — DESIGN.md security rules), so the tests exercise
 * the same broker-side checks production relies on. Test-only: never use it to run a real broker.
 * Fails with a clear message when mosquitto is not installed; it never skips.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { requireBinary, runChecked, startServiceProcess } from './service-process.js';

export type MosquittoAccess = 'read' | 'write' | 'readwrite' | 'deny';

export interface MosquittoUser {
  username: string;
  password: string;
  /** Topic filters this user may use; anything not listed is denied (mosquitto's default with an acl_file). */
  acl: Array<{ access: MosquittoAccess; topic: string }>;
}

export interface RunningMosquitto {
  url: string;
  host: string;
  port: number;
  dir: string;
  /** Tail of the broker's log (useful in assertion messages). */
  log(): string;
  stop(): Promise<void>;
}

export async function startMosquitto(options: { users: MosquittoUser[] }): Promise<RunningMosquitto> {
  const mosquitto = requireBinary('mosquitto', 'mosquitto');
  const mosquittoPasswd = requireBinary('mosquitto_passwd', 'mosquitto');
  const dir = mkdtempSync(join(tmpdir(), 'simhound-mosquitto-'));
  const host = '127.0.0.1';
  const port = await freePort(host);
  const passwordFile = join(dir, 'passwords');
  const aclFile = join(dir, 'acl');

  writeFileSync(passwordFile, '', { mode: 0o600 });
  for (const user of options.users) runChecked(mosquittoPasswd, ['-b', passwordFile, user.username, user.password]);
  const aclLines: string[] = [];
  for (const user of options.users) {
    aclLines.push(`user ${user.username}`);
    for (const rule of user.acl) aclLines.push(`topic ${rule.access} ${rule.topic}`);
    aclLines.push('');
  }
  writeFileSync(aclFile, aclLines.join('\n'));

  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      // Run as root stays root: the temp dir is private to the test user (mosquitto would otherwise drop to
      // the "mosquitto" user and not be able to read the password file). Has no effect when not root.
      'user root',
      'per_listener_settings false',
      `listener ${port} ${host}`,
      'allow_anonymous false',
      `password_file ${passwordFile}`,
      `acl_file ${aclFile}`,
      'set_tcp_nodelay true',
      'max_queued_messages 0',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      '',
    ].join('\n'),
  );

  const proc = startServiceProcess(mosquitto, ['-c', conf]);
  try {
    await waitForPort(port, { host, what: 'mosquitto', stillRunning: proc.exitReason, timeout_ms: 10_000 });
  } catch (e) {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `mqtt://${host}:${port}`,
    host,
    port,
    dir,
    log: proc.output,
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningMosquittoFromConfig {
  url: string;
  host: string;
  port: number;
  log(): string;
  /** Clean stop (SIGTERM): mosquitto writes its persistence file. */
  stop(): Promise<void>;
  /** kill -9: whatever was not autosaved is gone. */
  kill(): Promise<void>;
  pid: number;
}

/**
 * Run mosquitto with a configuration file made elsewhere (e.g. `simhound collector mosquitto-config`),
 * listening on host:port as that file says. The caller owns (and removes) the file's directory.
 */
export async function startMosquittoFromConfig(confFile: string, listener: { host: string; port: number; tls?: boolean }): Promise<RunningMosquittoFromConfig> {
  const mosquitto = requireBinary('mosquitto', 'mosquitto');
  const proc = startServiceProcess(mosquitto, ['-c', confFile]);
  try {
    await waitForPort(listener.port, { host: listener.host, what: 'mosquitto', stillRunning: proc.exitReason, timeout_ms: 10_000 });
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return {
    url: `${listener.tls ? 'mqtts' : 'mqtt'}://${listener.host}:${listener.port}`,
    host: listener.host,
    port: listener.port,
    log: proc.output,
    pid: proc.child.pid!,
    stop: () => proc.stop(),
    async kill() {
      if (proc.exitReason() !== null) return;
      const exited = new Promise<void>((r) => proc.child.once('exit', () => r()));
      proc.child.kill('SIGKILL');
      await exited;
    },
  };
}
