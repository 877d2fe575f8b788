/**
 * The rtl_tcp emulator as its own process (like a real rtl_tcp next to the agent), serving a simulated
 * world: `node --import tsx rtl-tcp-emulator-main.ts '<json options>'`. Prints `listening <port>`,
 * then one JSON line per command received; reads `stall`, `resume`, `disconnect <samples>` and
 * `stop` on stdin. Test-only; started and stopped by rtl-tcp-emulator-process.ts.
 */
import { createInterface } from 'node:readline';
import { RtlTcpEmulator } from './rtl-tcp-server.js';
import { simulatedWorld, type SceneWithoutTuning } from './rtl-tcp-world.js';

interface Options {
  scene: SceneWithoutTuning;
  speed?: number;
  chunk_samples?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const emulator = new RtlTcpEmulator({ samples: simulatedWorld(options.scene), speed: options.speed ?? 1, chunk_samples: options.chunk_samples ?? 8_192 });
let reported = 0;
const port = await emulator.start();
process.stdout.write(`listening ${port}\n`);
const timer = setInterval(() => {
  while (reported < emulator.commands.length) process.stdout.write(`${JSON.stringify(emulator.commands[reported++])}\n`);
}, 20);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'stall') emulator.stall();
  else if (cmd === 'resume') emulator.resume();
  else if (cmd === 'disconnect') emulator.disconnectAfter(Number(arg ?? 0));
  else if (cmd === 'stop') void shutdown();
});
lines.on('close', () => void shutdown());

async function shutdown(): Promise<void> {
  clearInterval(timer);
  await emulator.stop();
  process.exit(0);
}
