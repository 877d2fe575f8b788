/**
 * The NMEA GPS source on a pty pair: fixes from RMC/GGA become positions; sentences with a bad
 * checksum, garbage and over-long lines are counted by reason; a receiver without a fix yields nothing.
 */
import { describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { ReconnectingSerialPort } from '@simhound/firmware-bridge';
import { createPtyPair } from '@simhound/test-support/pty-pair';
import { GpsNmeaSource, nmeaChecksum, type GpsFix } from '../../src/modem/index.js';

const sentence = (body: string) => `$${body}*${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}\r\n`;

describe('GPS NMEA source', () => {
  it('turns RMC/GGA into positions and counts bad sentences', async () => {
    const pty = await createPtyPair('gps');
    const link = new ReconnectingSerialPort({ path: pty.hostPath, baudRate: 9600 });
    const fixes: Array<GpsFix & { ts_ms: number }> = [];
    const source = new GpsNmeaSource({ link, onPosition: (f) => fixes.push(f), min_interval_ms: 0 });
    const gps = new SerialPort({ path: pty.devicePath, baudRate: 9600 });
    try {
      source.start();
      link.start();
      await link.waitOpen();
      if (!gps.isOpen) await new Promise((r) => gps.once('open', r));
      gps.write(sentence('GPRMC,101500,V,,,,,,,031226,,,N'));
      gps.write(sentence('GNRMC,101500.00,A,2918.900,S,02729.160,E,1.5,270.0,031226,,,A'));
      gps.write('$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48\r\n');
      gps.write(Buffer.from([0x00, 0xff, 0x24, 0x13, 0x0d, 0x0a]));
      gps.write(`$GPGSV,${'9,'.repeat(60)}*00\r\n`);
      gps.write(sentence('GPGGA,101501,2918.901,S,02729.161,E,1,09,1.2,1600.0,M,0.0,M,,'));
      const t0 = Date.now();
      while (fixes.length < 2 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      expect(fixes).toHaveLength(2);
      expect(fixes[0]!.position.lat_deg).toBeCloseTo(-(29 + 18.9 / 60), 6);
      expect(fixes[0]).toMatchObject({ ts_ms: Date.UTC(2026, 11, 3, 10, 15, 0), heading_deg: 270 });
      expect(fixes[0]!.speed_mps).toBeCloseTo(1.5 * 1852 / 3600, 6);
      expect(fixes[1]!.position).toMatchObject({ alt_m: 1600, accuracy_m: 6, position_source: 'gps' });
      expect(source.rejected()).toEqual({ bad_checksum: 1, garbage: 1, too_long: 1 });
    } finally {
      source.stop();
      await link.stop();
      if (gps.isOpen) await new Promise((r) => gps.close(() => r(undefined)));
      await pty.close();
    }
  });
});
