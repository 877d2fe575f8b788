/**
 * The installed `simhound` command (node_modules/.bin/simhound → cli/dist/main.js, built by the root
 * `prepare` script on npm install/ci): every subcommand has --help, and `replay --events` turns a real
 * capture into JSON lines with a summary whose counts match tshark's (PROVENANCE.md decode summary).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}node_modules/.bin/simhound`;
const capture = `${root}edge-agent/test/vectors/vf_call6_bcch_ccch_ts0.dedup.scrubbed.pcap`;

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm install\` (its prepare script builds the CLI)`);
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd: root, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('simhound CLI', () => {
  it('prints help for every subcommand', () => {
    for (const sub of [[], ['demo'], ['edge'], ['collector'], ['replay'], ['simulate'], ['keys'], ['keys', 'probe'], ['keys', 'pseudonym'], ['keys', 'user'], ['keys', 'ca'], ['keys', 'server-cert'], ['keys', 'collector'], ['collector', 'mosquitto-config']]) {
      const r = run([...sub, '--help']);
      expect(r.status, `simhound ${sub.join(' ')} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^Usage: simhound/);
    }
  });

  it('replay --events prints one JSON line per event and a summary matching the capture', () => {
    const r = run(['replay', capture, '--events']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.pop()!.summary as { packets: number; events: number; events_by_type: Record<string, number>; outcomes: Record<string, number> };
    expect(lines).toHaveLength(summary.events);
    expect(summary.packets).toBe(293);
    // tshark: 233 Paging Request Type 1, 1 Type 2, 2 Immediate Assignment, 7 SI3, 7 SI4 (PROVENANCE.md).
    expect(summary.events_by_type).toMatchObject({ paging_request_1: 233, paging_request_2: 1, immediate_assignment: 2, system_information_3: 7, system_information_4: 7 });
    const ia = lines.filter((l) => l.message === 'immediate_assignment');
    expect(ia.map((l) => [l.fn, l.ta_steps, (l.request as { ra: number }).ra])).toEqual([[862212, 1, 0x26], [862218, 1, 0x26]]);
    // No raw identity ever appears: IMSIs of MCC 262 would start with 26202.
    expect(r.stdout).not.toMatch(/26202\d{10}/);
  });

  it('replay --events prints the dedicated-channel session of the real MT call (CCCH + SDCCH merged by time)', () => {
    const r = run(['replay', `${root}edge-agent/test/vectors/vf_call6_bcch_sdcch_merged.scrubbed.pcap`, '--events']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const sessions = lines.filter((l) => l.type === 'DedicatedSession');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      ta_steps: 1,
      cause: 'answer_to_paging',
      initial: { message: 'paging_response', fn: 862261 },
      ciphering_command_fn: 862312,
      call_setup: 'mobile_terminated',
      end: 'flushed',
    });
    const summary = lines.at(-1)!.summary as { events_by_type: Record<string, number>; sessions: { outcomes: Record<string, number> } };
    expect(summary.events_by_type.dedicated_session).toBe(1);
    expect(summary.sessions.outcomes).toMatchObject({ opened: 1, repeated_assignment: 1, attached: 5, orphan: 0 });
  });

  it('fails with a clear message and exit 2 on a bad config', () => {
    const r = run(['edge', '--config', `${root}package.json`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid edge config/);
  });

  it('runs from the repo root with npx', () => {
    const out = execFileSync('npx', ['--no-install', 'simhound', '--version'], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
