/**
 * Start the rtl_tcp emulator in its own Node process (so it paces itself like a real rtl_tcp while
 * the agent under test works), serving a simulated world. Test-only; always stop() it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReceivedCommand } from './rtl-tcp-server.js';
import type { SceneWithoutTuning } from './rtl-tcp-world.js';

export interface EmulatorProcess {
  port: number;
  /** Commands the emulator received so far. */
  readonly commands: ReceivedCommand[];
  stall(): void;
  resume(): void;
  disconnectAfter(samples: number): void;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./rtl-tcp-emulator-main.ts', import.meta.url));

export async function startEmulatorProcess(options: { scene: SceneWithoutTuning; speed?: number; chunk_samples?: number }): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const commands: ReceivedCommand[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timeout = setTimeout(() => reject(new Error('rtl_tcp emulator did not start within 20 s')), 20_000);
    lines.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timeout);
        resolve(Number(m[1]));
      } else if (line.startsWith('{')) commands.push(JSON.parse(line) as ReceivedCommand);
    });
    child.once('exit', (code) => reject(new Error(`rtl_tcp emulator exited (${code}) before listening`)));
  });
  const send = (line: string) => child.stdin!.write(`${line}\n`);
  return {
    port,
    commands,
    stall: () => send('stall'),
    resume: () => send('resume'),
    disconnectAfter: (n) => send(`disconnect ${n}`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        send('stop');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
