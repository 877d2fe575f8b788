// The side lists: detections (time, detector@version, cell, TA, score, severity, evidence counts) and
// probe health (state, last seen, per-source counts). Text only, built with textContent.
import { HEALTH_COLOURS, SEVERITY_COLOURS, ago, cellKey, el, isoTime, metres } from './format.js';

function causeCounts(counts) {
  const entries = Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([cause, n]) => `${cause} ${n}`).join(', ') : '—';
}

export function renderDetections(container, detections, cellsWithPosition) {
  const items = detections.map((d) => {
    const located = cellsWithPosition.has(cellKey(d.cell));
    const e = d.evidence;
    return el(
      'li',
      { class: `detection severity-${d.severity}`, 'data-id': d.id },
      el('div', { class: 'row1' },
        el('span', { class: 'badge', style: `background:${SEVERITY_COLOURS[d.severity] ?? '#444'}` }, d.severity),
        el('strong', {}, ` ${d.detector}@${d.detector_version}`),
        el('span', { class: 'muted' }, ` ${isoTime(d.ts_ms)}`)),
      el('div', {}, `cell ${cellKey(d.cell)} · arfcn ${d.arfcn} · ta_steps ${d.ta_steps} (${metres(d.range_min_m)}–${metres(d.range_max_m)})`),
      el('div', {}, `score ${d.score.toFixed(3)} · event_count ${e.event_count} · baseline_count ${e.baseline_count} · p_value ${e.p_value.toExponential(1)}`),
      el('div', { class: 'muted' }, `count_by_cause: ${causeCounts(e.count_by_cause)}`),
      el('div', { class: 'muted' }, `${d.site}/${d.probe}${located ? '' : ' · cell position unknown (no ring drawn)'}`),
    );
  });
  container.replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'no detections yet')]));
}

export function renderProbes(container, probes, now_ms) {
  const items = probes.map((p) => {
    const s = p.status;
    const sources = (s?.sources ?? []).map((src) =>
      el('div', { class: 'muted source' },
        `${src.source_name} (${src.source_kind}) ${src.state}: frames_total ${src.frames_total}, events_total ${src.events_total}, rejected_total ${src.rejected_total}`),
    );
    return el(
      'li',
      { class: `probe health-${p.health}`, 'data-probe': `${p.site}/${p.probe}`, 'data-health': p.health },
      el('div', { class: 'row1' },
        el('span', { class: 'badge', style: `background:${HEALTH_COLOURS[p.health] ?? '#444'}` }, p.health),
        el('strong', {}, ` ${p.site}/${p.probe}`)),
      el('div', {}, `state ${s?.state ?? '—'} · last seen ${ago(p.last_seen_ts_ms, now_ms)}${s ? ` · uptime_s ${Math.round(s.uptime_s)} · outbox_depth ${s.outbox_depth} · detections_total ${s.detections_total}` : ''}`),
      ...sources,
    );
  });
  container.replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'no probes registered')]));
}
