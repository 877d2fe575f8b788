/**
 * Run the real tshark as an independent oracle in tests. Spawns `tshark -r <capture> -T fields …` and
 * returns one row per frame, each field as the list of its occurrences. A missing or failing tshark is
 * a typed error that fails the test (tests never skip because the oracle is absent).
 */
import { execFile } from 'node:child_process';

export class TsharkMissingError extends Error {
  constructor(detail: string) {
    super(`tshark is not installed or not on PATH (${detail}); install the Debian package 'tshark'`);
    this.name = 'TsharkMissingError';
  }
}

export class TsharkFailedError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`tshark failed (exit ${exitCode}): ${stderr.trim().slice(0, 500)}`);
    this.name = 'TsharkFailedError';
  }
}

export type TsharkRow = Record<string, string[]>;

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        if (e.code === 'ENOENT') reject(new TsharkMissingError('ENOENT'));
        else reject(new TsharkFailedError(typeof e.code === 'number' ? e.code : null, stderr));
        return;
      }
      resolve(stdout);
    });
  });
}

/** tshark's version line, e.g. "TShark (Wireshark) 4.0.17 …". */
export async function tsharkVersion(): Promise<string> {
  const out = await run(['--version']);
  return out.split('\n')[0] ?? '';
}

/**
 * Dump `fields` for every frame of `capture`. Multiple occurrences of a field in one frame come back in
 * order; a field absent from a frame is an empty list. `prefs` are tshark preferences (`-o name:value`).
 */
export async function tsharkFields(capture: string, fields: readonly string[], displayFilter?: string, prefs: Readonly<Record<string, string>> = {}): Promise<TsharkRow[]> {
  const args = ['-r', capture, '-n', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=;'];
  for (const [name, value] of Object.entries(prefs)) args.push('-o', `${name}:${value}`);
  for (const f of fields) args.push('-e', f);
  if (displayFilter !== undefined) args.push('-Y', displayFilter);
  const out = await run(args);
  const rows: TsharkRow[] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    const row: TsharkRow = {};
    fields.forEach((f, i) => {
      const v = cols[i] ?? '';
      row[f] = v === '' ? [] : v.split(';');
    });
    rows.push(row);
  }
  return rows;
}

/** Convert a capture with editcap (e.g. to pcapng: format 'pcapng'). */
export function editcapConvert(input: string, output: string, format: 'pcap' | 'pcapng' | 'nsecpcap'): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('editcap', ['-F', format, input, output], (err, _stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException;
        reject(e.code === 'ENOENT' ? new TsharkMissingError('editcap ENOENT') : new TsharkFailedError(null, stderr));
      } else resolve();
    });
  });
}
