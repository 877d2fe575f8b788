/**
 * Which serial devices the serial tests use. Unset `SIMHOUND_TEST_SERIAL`: emulated devices (a scripted
 * modem behind a socat pty pair, the real probe firmware in simavr behind a pty). Set: the real
 * hardware — `SIMHOUND_TEST_SERIAL=/dev/serial/by-id/…` names the modem; name several devices with
 * `SIMHOUND_TEST_SERIAL=modem:/dev/serial/by-id/…,mcu:/dev/serial/by-id/…`. Tests never skip: a device
 * that is named is used, one that is not is emulated. Test-only.
 */
export type SerialDeviceKind = 'modem' | 'mcu';

export function realSerialDevice(kind: SerialDeviceKind, env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env.SIMHOUND_TEST_SERIAL?.trim();
  if (!raw) return null;
  if (!raw.includes(':') || raw.startsWith('/')) return kind === 'modem' && !raw.includes(',') ? raw : null;
  for (const part of raw.split(',')) {
    const [k, ...rest] = part.split(':');
    if (k === kind && rest.length > 0) return rest.join(':');
  }
  return null;
}
