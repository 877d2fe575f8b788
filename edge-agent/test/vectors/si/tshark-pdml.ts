/**
 * The oracle side of the System Information tests: runs the real tshark on a capture and returns, per
 * frame, every PDML `<field>` (name, show, showname, value) in document order. PDML is needed because
 * tshark puts decoded ARFCN lists and value meanings only into `showname`.
 *
 * A missing or failing tshark rejects with an error naming it, so tests depending on it fail instead of
 * skipping. It does not compare anything: that is the tests' job.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const TSHARK = process.env.TSHARK ?? 'tshark';

export interface PdmlField {
  readonly name: string;
  readonly show: string;
  readonly showname: string;
  readonly value: string;
}

/** One frame's fields, with lookups by name. */
export class PdmlFrame {
  constructor(readonly fields: readonly PdmlField[]) {}

  all(name: string): PdmlField[] {
    return this.fields.filter((f) => f.name === name);
  }

  /** The single occurrence of `name`, or undefined; throws if tshark gave several (the test must say which). */
  one(name: string): PdmlField | undefined {
    const found = this.all(name);
    if (found.length > 1) throw new Error(`tshark field ${name} occurs ${found.length} times`);
    return found[0];
  }

  has(name: string): boolean {
    return this.fields.some((f) => f.name === name);
  }
}

function unescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function attribute(tag: string, name: string): string {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match === null ? '' : unescape(match[1]!);
}

export async function tsharkVersionLine(): Promise<string> {
  try {
    const { stdout } = await execFileAsync(TSHARK, ['-v']);
    return stdout.split('\n')[0] ?? '';
  } catch (error) {
    throw new Error(`tshark (the oracle of these tests) is not runnable as '${TSHARK}': ${(error as Error).message}`);
  }
}

/** `tshark -n -r <capture> -T pdml`, one PdmlFrame per frame in file order. */
export async function tsharkPdmlFrames(capture: string): Promise<PdmlFrame[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(TSHARK, ['-n', '-r', capture, '-T', 'pdml'], { maxBuffer: 1 << 30 }));
  } catch (error) {
    throw new Error(`tshark -T pdml on ${capture} failed: ${(error as Error).message}`);
  }
  return stdout
    .split('<packet>')
    .slice(1)
    .map((chunk) => {
      const fields: PdmlField[] = [];
      for (const match of chunk.matchAll(/<field\b[^>]*>/g)) {
        const tag = match[0];
        fields.push({
          name: attribute(tag, 'name'),
          show: attribute(tag, 'show'),
          showname: attribute(tag, 'showname'),
          value: attribute(tag, 'value'),
        });
      }
      return new PdmlFrame(fields);
    });
}

/** ARFCNs of a "List of ARFCNs = …" showname, ascending and unique (tshark prints bit map 0 descending). */
export function arfcnsFromShowname(showname: string): number[] {
  const list = showname.replace(/^List of ARFCNs =/, '').trim();
  if (list === '') return [];
  return [...new Set(list.split(/\s+/).map(Number))].sort((a, b) => a - b);
}
