/**
 * The case file of an alert: everything an investigator or a prosecutor needs to follow how the lead
 * came about, as JSON (the record) and as a self-contained HTML page (a map drawn as inline SVG — no
 * tiles, no scripts — the lifecycle history, the evidence timeline with detector versions, the probes
 * with their keys, and the chain of custody: the SHA-256 of every stored signed record the evidence
 * points at and whether its Ed25519 signature still verifies with the probe's registered key). The JSON
 * carries the SHA-256 of its own canonical form (RFC 8785, without that field); the HTML shows it.
 * Must not render PDF (case-pdf.ts does) and must not change anything.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, publicKeyFromText, verifyEnvelope, type Envelope } from '@simhound/protocol';
import type { AlertEventRecord, DeliveryRecord } from './alert-types.js';
import type { AlertView, PolicyState } from './alert-service.js';
import type { AlertDen, AlertDenEvidence } from './den-view.js';

export const CASE_FILE_FORMAT = 'simhound-case-file/1';

export type CustodyVerdict = 'valid' | 'bad_signature' | 'probe_key_unknown' | 'record_missing' | 'not_json';

export interface CustodyEntry {
  ref_table: string;
  ref_id: string;
  site: string | null;
  probe: string | null;
  ts_ms: number;
  /** SHA-256 (hex) of the stored envelope text, exactly as received. */
  sha256: string | null;
  signature: CustodyVerdict;
}

export interface CaseFile {
  format: typeof CASE_FILE_FORMAT;
  generated_ts_ms: number;
  generated_by: string;
  alert: AlertView;
  history: AlertEventRecord[];
  deliveries: Array<Omit<DeliveryRecord, 'payload'>>;
  den: AlertDen | null;
  timeline: AlertDenEvidence[];
  detectors: Array<{ detector: string; evidence: number; strong: number; moderate: number }>;
  probes: Array<{ site: string; probe: string; public_key: string | null; position: { lat_deg: number; lon_deg: number } | null }>;
  policy: { version: number; source: string; sha256: string };
  chain_of_custody: { records: CustodyEntry[]; valid: number; invalid: number; records_sha256: string };
  /** SHA-256 of the canonical JSON of this file without this field. */
  content_sha256: string;
}

export interface CaseInputs {
  alert: AlertView;
  history: AlertEventRecord[];
  deliveries: DeliveryRecord[];
  den: AlertDen | null;
  timeline: AlertDenEvidence[];
  probes: Array<{ site: string; probe: string; public_key: string | null; position: { lat_deg: number; lon_deg: number } | null }>;
  policy: PolicyState;
  envelopeJson: (table: 'detections' | 'windows' | 'observation_messages', id: string) => Promise<string | null>;
  generated_by: string;
  now_ms: number;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function custody(timeline: readonly AlertDenEvidence[], keys: ReadonlyMap<string, string | null>, envelopeJson: CaseInputs['envelopeJson']): Promise<CaseFile['chain_of_custody']> {
  const records: CustodyEntry[] = [];
  const seen = new Set<string>();
  for (const e of timeline) {
    if (e.ref_table === null || e.ref_id === null || seen.has(`${e.ref_table}/${e.ref_id}`)) continue;
    seen.add(`${e.ref_table}/${e.ref_id}`);
    const text = await envelopeJson(e.ref_table, e.ref_id);
    const entry: CustodyEntry = { ref_table: e.ref_table, ref_id: e.ref_id, site: e.site, probe: e.probe, ts_ms: e.ts_ms, sha256: text === null ? null : sha256(text), signature: 'record_missing' };
    if (text !== null) {
      let env: Envelope | null = null;
      try {
        env = JSON.parse(text) as Envelope;
      } catch {
        entry.signature = 'not_json';
      }
      if (env !== null) {
        const key = keys.get(`${env.site}/${env.probe}`) ?? null;
        if (key === null) entry.signature = 'probe_key_unknown';
        else entry.signature = env.id === e.ref_id && verifyEnvelope(env, publicKeyFromText(key)) ? 'valid' : 'bad_signature';
      }
    }
    records.push(entry);
  }
  const valid = records.filter((r) => r.signature === 'valid').length;
  return { records, valid, invalid: records.length - valid, records_sha256: sha256(records.map((r) => `${r.ref_table}/${r.ref_id}:${r.sha256 ?? '-'}`).join('\n')) };
}

export async function buildCaseFile(i: CaseInputs): Promise<CaseFile> {
  const keys = new Map(i.probes.map((p) => [`${p.site}/${p.probe}`, p.public_key]));
  const detectors = new Map<string, { evidence: number; strong: number; moderate: number }>();
  const bump = (name: string, level?: string) => {
    const d = detectors.get(name) ?? { evidence: 0, strong: 0, moderate: 0 };
    d.evidence++;
    if (level === 'strong') d.strong++;
    if (level === 'moderate') d.moderate++;
    detectors.set(name, d);
  };
  for (const e of i.timeline) {
    if (e.detector !== null) bump(`${e.detector}@${e.detector_version}`);
    for (const ind of (e.summary.indicators as Array<{ detector: string; detector_version: number; level: string }> | undefined) ?? []) bump(`${ind.detector}@${ind.detector_version}`, ind.level);
  }
  const probeNames = new Set([...(i.den?.probes ?? i.alert.den.probes)]);
  const body: Omit<CaseFile, 'content_sha256'> = {
    format: CASE_FILE_FORMAT,
    generated_ts_ms: i.now_ms,
    generated_by: i.generated_by,
    alert: i.alert,
    history: i.history,
    deliveries: i.deliveries.map(({ payload: _payload, ...rest }) => rest),
    den: i.den,
    timeline: i.timeline,
    detectors: [...detectors].map(([detector, d]) => ({ detector, ...d })).sort((a, b) => a.detector.localeCompare(b.detector)),
    probes: i.probes.filter((p) => probeNames.has(`${p.site}/${p.probe}`)),
    policy: { version: i.policy.version, source: i.policy.source, sha256: sha256(i.policy.yaml) },
    chain_of_custody: await custody(i.timeline, keys, i.envelopeJson),
  };
  return { ...body, content_sha256: sha256(canonicalJson(body)) };
}

/** Re-check a case file's own hash (for whoever receives one). */
export function caseFileHashValid(file: CaseFile): boolean {
  const { content_sha256, ...body } = file;
  return sha256(canonicalJson(body)) === content_sha256;
}

// ------------------------------------------------------------------------------------------- HTML

const esc = (v: unknown) => String(v ?? '—').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const iso = (ts: number | null | undefined) => (ts === null || ts === undefined ? '—' : new Date(ts).toISOString().replace('.000Z', 'Z'));

interface Pt { x: number; y: number }

/** An SVG map in a local flat projection around the den (metres; fine over a few km). */
export function caseMapSvg(file: CaseFile, width = 640, height = 420): string {
  const den = file.den;
  const places = den?.places ?? [];
  const loc = den?.location ?? file.alert.den.location;
  const cells = places.filter((p) => p.cell_position !== null);
  const origin = loc?.point ?? cells[0]?.cell_position ?? null;
  if (origin === null) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="80" role="img" aria-label="no position known"><text x="10" y="40" font-size="14">No position known for this den (no cell position in the cell database, no estimate).</text></svg>`;
  const kx = 111_320 * Math.cos((origin.lat_deg * Math.PI) / 180);
  const ky = 110_540;
  const proj = (p: { lat_deg: number; lon_deg: number }): Pt => ({ x: (p.lon_deg - origin.lon_deg) * kx, y: -(p.lat_deg - origin.lat_deg) * ky });
  const extent: Pt[] = [];
  for (const p of cells) {
    const c = proj(p.cell_position!);
    extent.push({ x: c.x - p.range_max_m, y: c.y - p.range_max_m }, { x: c.x + p.range_max_m, y: c.y + p.range_max_m });
  }
  const probes = file.probes.filter((p) => p.position !== null).map((p) => ({ name: `${p.site}/${p.probe}`, at: proj(p.position!) }));
  for (const p of probes) extent.push(p.at);
  const ell = loc?.ellipse_95 ?? null;
  if (loc) {
    const r = ell ? ell.semi_major_m : loc.accuracy_m ?? 200;
    const c = proj(loc.point);
    extent.push({ x: c.x - r, y: c.y - r }, { x: c.x + r, y: c.y + r });
  }
  const minX = Math.min(...extent.map((p) => p.x)) - 100;
  const maxX = Math.max(...extent.map((p) => p.x)) + 100;
  const minY = Math.min(...extent.map((p) => p.y)) - 100;
  const maxY = Math.max(...extent.map((p) => p.y)) + 100;
  const scale = Math.min(width / (maxX - minX), (height - 30) / (maxY - minY));
  const sx = (x: number) => ((x - minX) * scale).toFixed(1);
  const sy = (y: number) => ((y - minY) * scale).toFixed(1);
  const parts: string[] = [];
  for (const p of cells) {
    const c = proj(p.cell_position!);
    const ro = p.range_max_m * scale;
    const ri = p.range_min_m * scale;
    const cx = Number(sx(c.x));
    const cy = Number(sy(c.y));
    parts.push(`<path d="M ${cx - ro} ${cy} a ${ro} ${ro} 0 1 0 ${2 * ro} 0 a ${ro} ${ro} 0 1 0 ${-2 * ro} 0 Z M ${cx - ri} ${cy} a ${ri} ${ri} 0 1 0 ${2 * ri} 0 a ${ri} ${ri} 0 1 0 ${-2 * ri} 0 Z" fill="rgba(215,25,28,0.18)" fill-rule="evenodd" stroke="#d7191c" stroke-width="1"><title>TA ring ${esc(p.key)}: ${Math.round(p.range_min_m)}–${Math.round(p.range_max_m)} m</title></path>`);
    parts.push(`<circle cx="${cx}" cy="${cy}" r="5" fill="#fff" stroke="#222" stroke-width="2"/><text x="${cx + 8}" y="${cy - 6}" font-size="11">${esc(p.key)}</text>`);
  }
  if (loc) {
    const c = proj(loc.point);
    if (ell) {
      const e = proj(ell.centre ?? loc.point);
      parts.push(`<ellipse cx="${sx(e.x)}" cy="${sy(e.y)}" rx="${(ell.semi_minor_m * scale).toFixed(1)}" ry="${(ell.semi_major_m * scale).toFixed(1)}" transform="rotate(${ell.orientation_deg.toFixed(1)} ${sx(e.x)} ${sy(e.y)})" fill="rgba(43,131,186,0.2)" stroke="#2b83ba" stroke-width="2"><title>95 % ellipse</title></ellipse>`);
    }
    parts.push(`<path d="M ${Number(sx(c.x)) - 7} ${Number(sy(c.y)) - 7} l 14 14 m -14 0 l 14 -14" stroke="#b10026" stroke-width="3"><title>${loc.source === 'estimate' ? 'estimated den position' : 'serving cell (den lies on its TA ring)'}</title></path>`);
  }
  for (const p of probes) parts.push(`<rect x="${Number(sx(p.at.x)) - 5}" y="${Number(sy(p.at.y)) - 5}" width="10" height="10" fill="#1a9641"><title>probe ${esc(p.name)}</title></rect><text x="${Number(sx(p.at.x)) + 8}" y="${Number(sy(p.at.y)) + 4}" font-size="11">${esc(p.name)}</text>`);
  const barM = [100, 200, 500, 1000, 2000, 5000, 10000].find((m) => m * scale > 60) ?? 10000;
  parts.push(`<line x1="10" y1="${height - 12}" x2="${(10 + barM * scale).toFixed(1)}" y2="${height - 12}" stroke="#000" stroke-width="3"/><text x="12" y="${height - 17}" font-size="11">${barM >= 1000 ? `${barM / 1000} km` : `${barM} m`}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="case map" style="background:#eef2f5;border:1px solid #ccd">${parts.join('')}</svg>`;
}

export function renderCaseHtml(file: CaseFile): string {
  const a = file.alert;
  const row = (k: string, v: unknown) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const table = (head: string[], rows: unknown[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') || `<tr><td colspan="${head.length}">none</td></tr>`}</tbody></table>`;
  const loc = file.den?.location ?? a.den.location;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>simhound case file — alert ${esc(a.id)}</title>
<style>
body{font:12px/1.45 system-ui,sans-serif;color:#1d232b;margin:24px;}
h1{font-size:18px;margin:0 0 4px} h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #ccd}
table{border-collapse:collapse;width:100%;margin:4px 0} th,td{border:1px solid #d5d9de;padding:3px 5px;text-align:left;vertical-align:top}
thead th{background:#eef1f4} .tier{display:inline-block;color:#fff;padding:1px 6px;border-radius:3px;text-transform:uppercase}
.tier-high{background:#b10026}.tier-medium{background:#e66101}.tier-low{background:#4d7ea8} .mono{font-family:ui-monospace,monospace;font-size:11px;word-break:break-all}
.summary th{width:28%;background:#f6f7f9}
</style></head><body>
<h1>Case file: SIM-box den — <span class="tier tier-${esc(a.tier)}">${esc(a.tier)}</span> alert</h1>
<div>Alert <span class="mono">${esc(a.id)}</span>, den <span class="mono">${esc(a.den_id)}</span>. Generated ${esc(iso(file.generated_ts_ms))} for ${esc(file.generated_by)}.</div>
<h2>Summary</h2>
<table class="summary"><tbody>
${row('State', `${a.state}${a.outcome ? ` — ${a.outcome}` : ''} (cycle ${a.cycle})`)}
${row('Score / confidence', `${a.assessment.score.toFixed(2)} / ${a.assessment.confidence.toFixed(2)}; ${a.assessment.active ? 'active now' : 'not active'} when last judged`)}
${row('Size', a.assessment.rate_per_min !== null ? `${a.assessment.rate_per_min.toFixed(1)} accesses/min above baseline ≈ ${a.assessment.ports_estimate} busy port(s)` : 'unknown')}
${row('Location', loc ? `${loc.point.lat_deg.toFixed(5)}, ${loc.point.lon_deg.toFixed(5)} (${loc.source === 'estimate' ? 'estimate' : 'serving cell'}${loc.accuracy_m !== null ? `, ±${Math.round(loc.accuracy_m)} m` : ''}${loc.ellipse_95 ? `, 95 % ellipse ${Math.round(loc.ellipse_95.semi_major_m)} × ${Math.round(loc.ellipse_95.semi_minor_m)} m` : ''})` : 'unknown')}
${row('First / last seen', `${iso(a.den.first_seen_ts_ms)} / ${iso(a.den.last_seen_ts_ms)}`)}
${row('Raised', iso(a.raised_ts_ms))}
${row('Acknowledge by', `${iso(a.ack_deadline_ts_ms)}${a.acknowledged_ts_ms ? ` — acknowledged ${iso(a.acknowledged_ts_ms)} by ${a.acknowledged_by}` : ''}`)}
${row('Outcome due', `${iso(a.outcome_deadline_ts_ms)}${a.outcome_ts_ms ? ` — ${a.outcome} ${iso(a.outcome_ts_ms)} by ${a.outcome_by}` : ''}`)}
${row('Dispatched', a.dispatched_ts_ms ? `${iso(a.dispatched_ts_ms)} by ${a.dispatched_by}` : '—')}
${row('Escalation level', a.escalation_level)}
${row('Recipients', a.recipients.map((r) => `${r.officer} (${r.roster}, level ${r.level})`).join(', ') || 'none routed')}
${row('Policy', `version ${file.policy.version} (${file.policy.source}), sha256 ${file.policy.sha256.slice(0, 16)}…`)}
</tbody></table>
<h2>Why this tier</h2><ul>${a.assessment.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<h2>Map</h2>
${caseMapSvg(file)}
<div>White dots: serving cells; red bands: Timing-Advance rings (the den is on each); cross: ${loc?.source === 'estimate' ? 'estimated position, blue: 95 % ellipse' : 'serving cell position used for routing'}; green squares: probes.</div>
<h2>Places</h2>
${table(['place', 'cell', 'ARFCN', 'TA', 'ring (m)', 'first seen', 'last seen', 'probes', 'detectors'], (file.den?.places ?? []).map((p) => [p.key, p.cell ? `${p.cell.mcc}-${p.cell.mnc} LAC ${p.cell.lac} CI ${p.cell.ci}` : '—', p.arfcn, p.ta_steps, `${Math.round(p.range_min_m)}–${Math.round(p.range_max_m)}`, iso(p.first_seen_ts_ms), iso(p.last_seen_ts_ms), p.probes.join(', '), p.detectors.join(', ')]))}
<h2>Detectors and versions</h2>
${table(['detector@version', 'evidence items', 'strong', 'moderate'], file.detectors.map((d) => [d.detector, d.evidence, d.strong, d.moderate]))}
<h2>Evidence timeline</h2>
${table(['time', 'kind', 'probe', 'detector', 'score', 'indicators', 'record'], file.timeline.map((e) => [iso(e.ts_ms), e.kind, e.site ? `${e.site}/${e.probe}` : '—', e.detector ? `${e.detector}@${e.detector_version}` : '—', typeof e.summary.score === 'number' ? (e.summary.score as number).toFixed(3) : '—', ((e.summary.indicators as Array<{ detector: string; detector_version: number; level: string; p_log10: number }> | undefined) ?? []).map((i) => `${i.detector}@${i.detector_version} ${i.level} (−log10 p ${i.p_log10.toFixed(1)})`).join('; '), e.ref_id ?? '—']))}
<h2>Lifecycle history</h2>
${table(['time', 'event', 'cycle', 'by', 'detail'], file.history.map((h) => [iso(h.ts_ms), h.kind, h.cycle, h.by, JSON.stringify(h.detail)]))}
<h2>Deliveries</h2>
${table(['created', 'notification', 'channel', 'recipient', 'status', 'attempts', 'delivered', 'last error'], file.deliveries.map((d) => [iso(d.created_ts_ms), d.notification, d.channel, d.recipient, d.status, d.attempts, iso(d.delivered_ts_ms), d.last_error ?? '']))}
<h2>Probes</h2>
${table(['probe', 'Ed25519 public key', 'position'], file.probes.map((p) => [`${p.site}/${p.probe}`, p.public_key ?? 'not registered', p.position ? `${p.position.lat_deg.toFixed(5)}, ${p.position.lon_deg.toFixed(5)}` : '—']))}
<h2>Chain of custody</h2>
<div>${file.chain_of_custody.valid} of ${file.chain_of_custody.records.length} stored signed records verify with their probe's registered key. Records digest: <span class="mono">${esc(file.chain_of_custody.records_sha256)}</span></div>
${table(['record', 'probe', 'time', 'SHA-256 of the stored envelope', 'signature'], file.chain_of_custody.records.map((r) => [`${r.ref_table}/${r.ref_id}`, r.site ? `${r.site}/${r.probe}` : '—', iso(r.ts_ms), r.sha256 ?? 'missing', r.signature]))}
<h2>Integrity</h2>
<div>SHA-256 of this case file's JSON (RFC 8785 canonical form, without this field): <span class="mono" id="content-sha256">${esc(file.content_sha256)}</span></div>
</body></html>
`;
}
