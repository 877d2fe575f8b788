/**
 * Local tshark PDML runner for the encoder and capture tests. The shared `@simhound/test-support/tshark`
 * only dumps `-T fields`; these tests need the whole dissection tree (shownames such as "List of ARFCNs",
 * every `_ws.expert` item) and checksum-validation preferences, so they run `tshark -T pdml` here.
 *
 * A missing tshark rejects (via the shared `tsharkVersion`), so dependent tests fail instead of skipping.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tsharkVersion } from '@simhound/test-support/tshark';

const execFileAsync = promisify(execFile);

export interface PdmlField {
  readonly name: string;
  readonly show: string;
  readonly showname?: string;
  readonly value?: string;
}

export interface PdmlPacket {
  /** Every `<field>` of the frame in document order (nesting flattened). */
  readonly fields: readonly PdmlField[];
}

/** Rejects with TsharkMissingError when tshark cannot run. */
export async function requireTshark(): Promise<void> {
  await tsharkVersion();
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[entity] !== undefined) return named[entity];
    return String.fromCodePoint(entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1] ?? '') : undefined;
}

/** `tshark -n -r <capture> [-o pref:value…] -T pdml`, one flattened packet per frame. */
export async function tsharkPdml(capture: string, preferences: Record<string, string> = {}): Promise<PdmlPacket[]> {
  await requireTshark();
  const args = ['-n', '-r', capture];
  for (const [name, value] of Object.entries(preferences)) args.push('-o', `${name}:${value}`);
  args.push('-T', 'pdml');
  const { stdout } = await execFileAsync('tshark', args, { maxBuffer: 1 << 30 });
  return stdout
    .split('<packet>')
    .slice(1)
    .map((chunk) => ({
      fields: [...chunk.matchAll(/<field\b[^>]*>/g)].map((m) => {
        const tag = m[0];
        const showname = attribute(tag, 'showname');
        const value = attribute(tag, 'value');
        return {
          name: attribute(tag, 'name') ?? '',
          show: attribute(tag, 'show') ?? '',
          ...(showname === undefined ? {} : { showname }),
          ...(value === undefined ? {} : { value }),
        };
      }),
    }));
}

export function pdmlShows(packet: PdmlPacket, name: string): string[] {
  return packet.fields.filter((f) => f.name === name).map((f) => f.show);
}
