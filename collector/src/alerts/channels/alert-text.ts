/**
 * The human text of an alert for e-mail and phone pushes: a subject/title line that says tier, event,
 * where and the deadline, and a plain-text body with the reasons, places, detectors and the case link.
 * Times are written in the deployment's time zone. No HTML, no markup: every mail client and the ntfy
 * app show it as it is.
 * Must not send anything.
 */
import type { AlertMessage } from '../alert-types.js';

const EVENT_WORDS: Record<AlertMessage['event'], string> = {
  raised: 'new alert',
  updated: 'alert updated',
  escalated: 'ESCALATED — not acted on in time',
  reactivated: 'den active again after closing',
  acknowledged: 'acknowledged',
  dispatched: 'dispatched',
  closed: 'closed',
};

export function localStamp(ts_ms: number, timezone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  return f.format(new Date(ts_ms));
}

export function whereText(m: AlertMessage): string {
  if (m.location !== null) {
    const acc = m.location.accuracy_m !== null ? ` ±${Math.round(m.location.accuracy_m)} m` : '';
    return `${m.location.lat_deg.toFixed(5)}, ${m.location.lon_deg.toFixed(5)}${acc}${m.location.position_source === 'serving_cell' ? ' (serving cell)' : ''}`;
  }
  const p = m.places[0];
  return p ? `cell ${p.cell_key} TA ${p.ta_steps}` : 'unknown place';
}

export function alertTitle(m: AlertMessage, timezone: string): string {
  const deadline = m.state === 'raised' || m.state === 'delivered' ? `acknowledge by ${localStamp(m.ack_deadline_ts_ms, timezone)}` : `outcome due ${localStamp(m.outcome_deadline_ts_ms, timezone)}`;
  return `[simhound ${m.tier.toUpperCase()}] SIM-box den, ${EVENT_WORDS[m.event]} — ${whereText(m)} — ${deadline}`;
}

export function alertBody(m: AlertMessage, timezone: string): string {
  const lines = [
    `${m.tier.toUpperCase()} alert ${m.alert_id} (${EVENT_WORDS[m.event]}), cycle ${m.cycle}, state ${m.state}${m.outcome ? ` (${m.outcome})` : ''}.`,
    '',
    `Den ${m.den_id}: score ${m.score.toFixed(2)}, confidence ${m.confidence.toFixed(2)}, ${m.active ? 'active now' : 'not active now'}.`,
    `Where: ${whereText(m)}${m.location ? ` — https://www.openstreetmap.org/?mlat=${m.location.lat_deg.toFixed(5)}&mlon=${m.location.lon_deg.toFixed(5)}#map=17/${m.location.lat_deg.toFixed(5)}/${m.location.lon_deg.toFixed(5)}` : ''}`,
    `Raised: ${localStamp(m.raised_ts_ms, timezone)}`,
    `Acknowledge by: ${localStamp(m.ack_deadline_ts_ms, timezone)}`,
    `Outcome due: ${localStamp(m.outcome_deadline_ts_ms, timezone)}`,
    m.escalation_level > 0 ? `Escalation level: ${m.escalation_level} (the officers before you did not act in time)` : '',
    '',
    'Why this tier:',
    ...m.reasons.map((r) => `  - ${r}`),
    '',
    'Places (serving cell, Timing Advance ring):',
    ...m.places.map((p) => `  - ${p.cell_key} TA ${p.ta_steps}: ${Math.round(p.range_min_m)}–${Math.round(p.range_max_m)} m from the cell`),
    `Detectors: ${m.detectors.join(', ') || '—'}`,
    '',
    m.case_url ? `Case view and case file: ${m.case_url}` : '',
    'Acknowledge and record the outcome in the simhound web UI (case officers and admins).',
  ];
  return lines.filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== '')).join('\n');
}
