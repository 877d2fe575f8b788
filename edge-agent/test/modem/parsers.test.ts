/**
 * The modem report parsers against real modem output (SIMCom AT+CENG from three modems, Quectel
 * AT+QENG rows) and against hand-checked 27.007 / NMEA lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  nmeaChecksum, parseCengLine, parseCengResponse, parseCgpsInfo, parseCurrentOperator, parseNmeaSentence, parseOperatorScan,
  parseQengLine, parseQengResponse, parseQgpsLoc, parseRegistration, parseSignalQuality, rxlevToRssiDbm,
} from '../../src/modem/index.js';

const vector = (name: string) => readFileSync(new URL(`../vectors/modem/${name}`, import.meta.url), 'utf8');
/** Fixture files hold several polls separated by blank lines. */
const polls = (text: string) => text.split(/\r?\n\s*\r?\n/).map((p) => p.split(/\r?\n/).filter((l) => l.trim() !== ''));

describe('SIMCom AT+CENG (real SIM800L / SIM808 / SIM900 output)', () => {
  it('SIM800L: serving cell with CGI, RXLEV, TA and 6 neighbours with cell ids; PCS channels flagged +1024', () => {
    const p = polls(vector('ceng-SIM800L.txt'));
    expect(p).toHaveLength(4);
    const r = parseCengResponse(p[0]!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.rejected_rows).toBe(0);
    expect(r.value.serving).toEqual({ rat: 'gsm', cell: { mcc: '310', mnc: '260', lac: 0x0113, ci: 0x4e72 }, arfcn: 666, rxlev: 21, rssi_dbm: -89.5, rxqual: 0, bsic: 8 });
    expect(r.value.neighbours).toHaveLength(6);
    expect(r.value.neighbours[0]).toEqual({ cell: { mcc: '310', mnc: '260', lac: 0x0113, ci: 0xa53f }, arfcn: 664, rxlev: 16, rssi_dbm: -94.5, bsic: 25 });
    expect(r.value.neighbours.map((n) => n.arfcn)).toEqual([664, 678, 668, 672, 677, 674]);
    // TA 255 = not in dedicated mode: no ta_steps.
    expect(r.value.serving).not.toHaveProperty('ta_steps');
    for (const poll of p) expect(parseCengResponse(poll).ok).toBe(true);
  });

  it('SIM808: neighbours without cell id (mode 1,0) and with unknown PLMN have no CGI but keep ARFCN/RXLEV/BSIC', () => {
    const r = parseCengResponse(polls(vector('ceng-SIM808.txt'))[0]!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.serving).toMatchObject({ cell: { mcc: '310', mnc: '411', lac: 0x178d, ci: 0x000f }, arfcn: 154, rxlev: 28, bsic: 12 });
    expect(r.value.neighbours).toHaveLength(6);
    expect(r.value.neighbours[0]).toEqual({ cell: null, arfcn: 128, rxlev: 15, rssi_dbm: rxlevToRssiDbm(15), bsic: 30 });
    expect(r.value.neighbours[2]).toEqual({ cell: null, arfcn: 233, rxlev: 26, rssi_dbm: rxlevToRssiDbm(26), bsic: 0 });
  });

  it('SIM900: "+CENG:" without a space, TA 0, BSIC above 63 left out, ffff/000 identity → cell null', () => {
    const p = polls(vector('ceng-SIM900.txt'));
    const first = parseCengResponse(p[0]!);
    if (!first.ok) throw new Error(first.reason);
    expect(first.value.serving).toEqual({ rat: 'gsm', cell: { mcc: '310', mnc: '260', lac: 0xfd, ci: 0x5431 }, arfcn: 668, rxlev: 13, rssi_dbm: -97.5, bsic: 59, ta_steps: 0 });
    expect(first.value.serving).not.toHaveProperty('rxqual'); // 99 = unknown
    expect(first.value.neighbours[5]).toEqual({ cell: null, arfcn: 727, rxlev: 6, rssi_dbm: rxlevToRssiDbm(6) });
    const second = parseCengResponse(p[1]!);
    if (!second.ok) throw new Error(second.reason);
    expect(second.value.neighbours[4]).not.toHaveProperty('bsic'); // "156"
    expect(second.value.neighbours[4]!.cell).toEqual({ mcc: '310', mnc: '260', lac: 0xfd, ci: 0x542f });
  });

  it('rejects malformed rows with a typed reason', () => {
    expect(parseCengLine('+CENG: 0,"0666,21,00,310')).toEqual({ ok: false, reason: 'bad_syntax', detail: '+CENG: 0,"0666,21,00,310' });
    expect(parseCengLine('+CENG: 1,"zz,16,25,a53f,310,260,0113"').ok).toBe(false);
    expect(parseCengLine('+CENG: 1,"1688,99,25,a53f,310,260,0113"')).toMatchObject({ ok: false, reason: 'bad_field' });
    expect(parseCengLine('+CENG: 1,1')).toEqual({ ok: true, value: { kind: 'mode', mode: 1, cellid_mode: 1 } });
    expect(parseCengLine('OK')).toEqual({ ok: false, reason: 'not_this_report' });
    expect(parseCengResponse(['garbage'])).toEqual({ ok: false, reason: 'not_this_report' });
  });
});

describe('Quectel AT+QENG (real rows)', () => {
  const [gsm, lte, misc] = polls(vector('qeng-quectel.txt'));

  it('GSM serving + neighbours: hex LAC/CI, rxlev in dBm, C1/C2', () => {
    const r = parseQengResponse(gsm!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.serving).toEqual({ rat: 'gsm', cell: { mcc: '460', mnc: '00', lac: 0x247c, ci: 0x1327 }, arfcn: 82, rxlev: 59, rssi_dbm: -52, bsic: 35, c1: 53, c2: 179 });
    expect(r.value.neighbours).toHaveLength(5);
    expect(r.value.neighbours[0]).toEqual({ cell: { mcc: '460', mnc: '00', lac: 0x24a5, ci: 0x1241 }, arfcn: 33, rxlev: 28, rssi_dbm: -83, bsic: 33, c1: 22, c2: 146 });
    expect(r.value.neighbours[1]!.arfcn).toBe(614);
  });

  it('LTE serving: TAC in cell.lac, 28-bit ECI, PCI, EARFCN, RSRP/RSRQ/RSSI; inter rows without PCI and WCDMA rows not reported', () => {
    const r = parseQengResponse(lte!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.rat).toBe('lte');
    expect(r.value.serving).toEqual({ rat: 'lte', cell: { mcc: '214', mnc: '01', lac: 0x603, ci: 0x7676a09 }, earfcn: 6300, pci: 188, rsrp_dbm: -104, rsrq_db: -9, rssi_dbm: -78 });
    expect(r.value.neighbours).toEqual([{ cell: null, earfcn: 6300, pci: 188, rsrq_db: -12, rsrp_dbm: -105, rssi_dbm: -75 }]);
    expect(r.value.rejected_rows).toBe(0);
  });

  it('connected-mode GSM row gives TA; SEARCH is no_service', () => {
    const connected = parseQengLine(misc![0]!);
    expect(connected).toMatchObject({ ok: true, value: { kind: 'serving', fields: { arfcn: 94, rssi_dbm: -61, bsic: 23, ta_steps: 0, cell: { lac: 0x550a, ci: 0x2bb9 } } } });
    expect(parseQengLine(misc![1]!)).toEqual({ ok: false, reason: 'no_service', detail: 'SEARCH' });
    expect(parseQengResponse([misc![1]!])).toEqual({ ok: false, reason: 'no_service' });
  });
});

describe('27.007 registration, operators, signal quality', () => {
  it('+CREG read form and URC form with LAC/CI', () => {
    expect(parseRegistration('+CREG: 2,1,"0113","4E72"')).toEqual({ ok: true, value: { domain: 'cs', stat: 'home', lac: 0x113, ci: 0x4e72, act: null, unsolicited: false } });
    expect(parseRegistration('+CREG: 5,"00FD","5431",0')).toEqual({ ok: true, value: { domain: 'cs', stat: 'roaming', lac: 0xfd, ci: 0x5431, act: 0, unsolicited: true } });
    expect(parseRegistration('+CGREG: 0,2')).toMatchObject({ ok: true, value: { domain: 'ps', stat: 'searching', lac: null, unsolicited: false } });
    expect(parseRegistration('+CREG: 1')).toMatchObject({ ok: true, value: { stat: 'home', unsolicited: true } });
    expect(parseRegistration('+CEREG: 2,1,"0603","7676A09",7')).toMatchObject({ ok: true, value: { domain: 'eps', lac: 0x603, ci: 0x7676a09, act: 7 } });
    expect(parseRegistration('+CREG: 2,x')).toMatchObject({ ok: false, reason: 'bad_field' });
    expect(parseRegistration('+CREG: 2,1,"zz","4E72"')).toMatchObject({ ok: false, reason: 'bad_field' });
  });

  it('+COPS=? scan and +COPS? read', () => {
    const scan = parseOperatorScan('+COPS: (2,"T-Mobile","TMO","310260",0),(1,"AT&T","AT&T","310410",0),(3,"Verizon","VZW","311480",7),,(0,1,2,3,4),(0,1,2)');
    expect(scan).toEqual({
      ok: true,
      value: [
        { stat: 'current', long_name: 'T-Mobile', short_name: 'TMO', mcc: '310', mnc: '260', act: 0 },
        { stat: 'available', long_name: 'AT&T', short_name: 'AT&T', mcc: '310', mnc: '410', act: 0 },
        { stat: 'forbidden', long_name: 'Verizon', short_name: 'VZW', mcc: '311', mnc: '480', act: 7 },
      ],
    });
    expect(parseOperatorScan('+COPS: (2,"T-Mobile"')).toMatchObject({ ok: false, reason: 'bad_syntax' });
    expect(parseCurrentOperator('+COPS: 0,2,"310260",0')).toEqual({ ok: true, value: { mode: 0, mcc: '310', mnc: '260', act: 0 } });
    expect(parseCurrentOperator('+COPS: 0,0,"T-Mobile"')).toEqual({ ok: true, value: { mode: 0, mcc: null, mnc: null, act: null } });
  });

  it('+CSQ to dBm', () => {
    expect(parseSignalQuality('+CSQ: 0,0')).toEqual({ ok: true, value: { rssi_dbm: -113, ber: 0 } });
    expect(parseSignalQuality('+CSQ: 24,99')).toEqual({ ok: true, value: { rssi_dbm: -65, ber: null } });
    expect(parseSignalQuality('+CSQ: 31,7')).toEqual({ ok: true, value: { rssi_dbm: -51, ber: 7 } });
    expect(parseSignalQuality('+CSQ: 99,99')).toEqual({ ok: true, value: { rssi_dbm: null, ber: null } });
    expect(parseSignalQuality('+CSQ: 45,0')).toMatchObject({ ok: false, reason: 'bad_field' });
  });
});

describe('GPS: modem AT and NMEA', () => {
  it('SIMCom +CGPSINFO with and without a fix', () => {
    const r = parseCgpsInfo('+CGPSINFO: 3113.343286,N,12121.234064,E,250311,072809.3,44.1,0.0,0');
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.position.lat_deg).toBeCloseTo(31 + 13.343286 / 60, 9);
    expect(r.value.position.lon_deg).toBeCloseTo(121 + 21.234064 / 60, 9);
    expect(r.value.position).toMatchObject({ alt_m: 44.1, position_source: 'gps' });
    expect(r.value.fix_ts_ms).toBe(Date.UTC(2011, 2, 25, 7, 28, 9, 300));
    expect(parseCgpsInfo('+CGPSINFO: ,,,,,,,,')).toEqual({ ok: false, reason: 'no_fix' });
    expect(parseCgpsInfo('+CGPSINFO: 9913.3,N,12121.2,E,250311,072809.3,44.1,0.0,0')).toMatchObject({ ok: false, reason: 'bad_field' });
  });

  it('Quectel +QGPSLOC in mode 0 (ddmm.mmmmN) and mode 2 (degrees); 516 = no fix', () => {
    const m2 = parseQgpsLoc('+QGPSLOC: 061951.000,31.86530,117.19784,0.7,62.2,2,0.00,0.0,0.0,110513,09');
    if (!m2.ok) throw new Error(m2.reason);
    expect(m2.value.position).toEqual({ lat_deg: 31.8653, lon_deg: 117.19784, accuracy_m: 3.5, alt_m: 62.2, position_source: 'gps' });
    expect(m2.value.fix_ts_ms).toBe(Date.UTC(2013, 4, 11, 6, 19, 51));
    const m0 = parseQgpsLoc('+QGPSLOC: 061951.000,3150.7223N,11711.9293E,0.7,62.2,2,0.00,0.0,0.0,110513,09');
    if (!m0.ok) throw new Error(m0.reason);
    expect(m0.value.position.lat_deg).toBeCloseTo(31 + 50.7223 / 60, 9);
    expect(m0.value.position.lon_deg).toBeCloseTo(117 + 11.9293 / 60, 9);
    expect(parseQgpsLoc('+CME ERROR: 516')).toEqual({ ok: false, reason: 'no_fix' });
  });

  it('NMEA GGA and RMC with checksums (the NMEA 0183 reference sentences)', () => {
    const gga = parseNmeaSentence('$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47');
    if (!gga.ok) throw new Error(gga.reason);
    expect(gga.value.position.lat_deg).toBeCloseTo(48.1173, 6);
    expect(gga.value.position.lon_deg).toBeCloseTo(11.516667, 6);
    expect(gga.value.position.accuracy_m).toBeCloseTo(4.5, 9);
    expect(gga.value.position.alt_m).toBeCloseTo(592.3, 9);
    const rmc = parseNmeaSentence('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A');
    if (!rmc.ok) throw new Error(rmc.reason);
    expect(rmc.value.speed_mps).toBeCloseTo(22.4 * 1852 / 3600, 9);
    expect(rmc.value.heading_deg).toBe(84.4);
    expect(rmc.value.fix_ts_ms).toBe(Date.UTC(2094, 2, 23, 12, 35, 19)); // two-digit year read as 20yy
    expect(parseNmeaSentence('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6B')).toMatchObject({ ok: false, reason: 'bad_checksum' });
    expect(parseNmeaSentence('$GPRMC,123519,V,,,,,,,230394,,*' + nmeaChecksum('GPRMC,123519,V,,,,,,,230394,,').toString(16).padStart(2, '0').toUpperCase())).toEqual({ ok: false, reason: 'no_fix' });
    expect(parseNmeaSentence('$GPGSV,1,1,00*79')).toMatchObject({ ok: false, reason: 'not_this_report' });
  });
});
