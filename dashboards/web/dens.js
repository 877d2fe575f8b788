// Dens on the map and the den page: for each den its most likely point, its 95 % ellipse and the TA
// rings of its places; for the selected den the posterior heatmap of the viewport (from the collector),
// its evidence timeline, a time slider (dens, estimate and timeline as they were at that time), GeoJSON /
// KML export, envelope re-verification, lifecycle buttons, and fox-hunt guidance from a unit's position
// (click the map to set it). Text only (textContent); geodesy from the shared geo module.
import * as L from './vendor/leaflet/leaflet-src.esm.js';
import { download, getJson } from './api.js';
import { annulusLatLngs, bearingDeg, distanceM, ellipseLatLngs } from './geo.js';
import { el, isoTime, metres, SEVERITY_COLOURS } from './format.js';

const POLL_MS = 2000;
export const ELLIPSE_COLOUR = '#ff00aa';
export const POINT_COLOUR = '#00c8ff';
const STATE_COLOURS = { suspected: '#f0a30a', confirmed: '#d7191c', dispatched: '#7b3294', closed: '#6b6b6b' };

/** Heat colour for a normalised weight (0..255): transparent → yellow → red. */
function heat(v) {
  const t = v / 255;
  return [255, Math.round(230 * (1 - t)), 0, Math.round(40 + 170 * Math.sqrt(t))];
}

async function postJson(path, token, body) {
  const r = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.error ?? `HTTP ${r.status}`);
  return data;
}


function summaryText(e) {
  const s = e.summary ?? {};
  switch (e.kind) {
    case 'detection':
      return `${e.detector}@${e.detector_version} from ${e.site}/${e.probe} at ${s.place} · score ${s.score} ${s.severity}${s.how && s.how !== 'evidence' ? ` · joined by ${s.how}` : ''}`;
    case 'observation':
      return `${s.uplink_bursts} uplink bursts from ${e.site}/${e.probe} (${s.rssi_min_dbm}…${s.rssi_max_dbm} dBm${s.moving ? ', moving' : ''})`;
    case 'estimate':
      return `estimate: 95 % ellipse ${metres(s.ellipse_95.semi_major_m)} × ${metres(s.ellipse_95.semi_minor_m)} · ${s.inputs.rings} rings, ${s.inputs.rssi_bins} RSSI bins, ${s.inputs.bearings} bearings`;
    case 'state':
      return `state ${s.from ?? '—'} → ${s.to}${s.outcome ? ` (${s.outcome})` : ''}${s.reason ? `: ${s.reason}` : ''}${s.by ? ` by ${s.by}` : ''}${s.note ? ` — ${s.note}` : ''}`;
    case 'reactivated':
      return `reactivated (was ${s.from_outcome ?? 'closed'}) at ${s.place}`;
    case 'merge':
      return s.into ? `merged into den ${s.into}` : `den ${s.from} merged into this one`;
    case 'split':
      return s.to ? `places ${s.places.join(', ')} split into den ${s.to}` : `split from den ${s.from}`;
    default:
      return JSON.stringify(s);
  }
}

export class DenView {
  constructor(map, token, panel) {
    this.map = map;
    this.token = token;
    this.panel = panel;
    this.layer = L.layerGroup().addTo(map);
    this.heatLayer = null;
    this.unitLayer = L.layerGroup().addTo(map);
    this.selected = null;
    this.dens = [];
    this.atTs = null; // null = live
    this.unit = null;
    this.fitted = false;
    this.lastDraw = '';
    this.heatKey = '';
    map.on('moveend', () => this.drawHeatmap());
    map.on('click', (ev) => this.setUnit({ lat_deg: ev.latlng.lat, lon_deg: ev.latlng.lng }));
    this.buildPanel();
  }

  buildPanel() {
    this.list = el('ol', { class: 'list', id: 'dens' });
    this.slider = el('input', { type: 'range', id: 'time-slider', min: '0', max: '1000', value: '1000' });
    this.sliderLabel = el('span', { class: 'muted', id: 'time-label' }, 'live');
    this.slider.addEventListener('input', () => this.onSlide());
    this.detail = el('div', { id: 'den-detail' });
    this.panel.replaceChildren(
      el('h2', {}, 'Dens'),
      el('div', { class: 'slider-row' }, el('label', { htmlFor: 'time-slider' }, 'time '), this.slider, ' ', this.sliderLabel),
      this.list,
      this.detail,
    );
  }

  range() {
    const first = Math.min(...this.dens.map((d) => d.first_seen_ts_ms), this.now ?? Date.now());
    return { from: first, to: this.now ?? Date.now() };
  }

  onSlide() {
    const v = Number(this.slider.value);
    if (v >= 1000) this.atTs = null;
    else {
      const { from, to } = this.range();
      this.atTs = Math.round(from + ((to - from) * v) / 1000);
    }
    this.sliderLabel.textContent = this.atTs === null ? 'live' : isoTime(this.atTs);
    this.lastDraw = '';
    this.refresh();
  }

  async poll() {
    const q = this.atTs === null ? '' : `?at_ts_ms=${this.atTs}`;
    const data = await getJson(`api/dens${q}`, this.token);
    this.now = data.now_ts_ms;
    this.dens = data.dens;
    await this.refresh();
    return this.dens.length;
  }

  /** The estimate to draw for a den at the slider's time (latest estimate evidence ≤ T), or its current one. */
  async estimateAt(den) {
    if (this.atTs === null) return den.estimate;
    const ev = await getJson(`api/dens/${den.id}/evidence?until_ts_ms=${this.atTs}&limit=5000`, this.token);
    const est = ev.evidence.filter((e) => e.kind === 'estimate').at(-1);
    return est ? est.summary : null;
  }

  async refresh() {
    const estimates = await Promise.all(this.dens.map((d) => this.estimateAt(d)));
    const fingerprint = JSON.stringify([this.dens.map((d) => [d.id, d.state, d.updated_ts_ms]), estimates, this.selected, this.atTs]);
    if (fingerprint !== this.lastDraw) {
      this.lastDraw = fingerprint;
      this.draw(estimates);
      this.renderList(estimates);
      if (this.selected) await this.renderDetail();
    }
    this.drawHeatmap();
    if (this.unit) this.drawGuidance();
  }

  draw(estimates) {
    this.layer.clearLayers();
    const points = [];
    this.dens.forEach((den, i) => {
      const colour = STATE_COLOURS[den.state] ?? '#444';
      const selected = den.id === this.selected;
      for (const p of den.places) {
        if (!p.cell_position) continue;
        const ring = L.polygon(annulusLatLngs(p.cell_position, p.range_min_m, p.range_max_m), {
          color: colour, weight: 1, fillColor: colour, fillOpacity: selected ? 0.08 : 0.04, className: 'den-ring', smoothFactor: 0, interactive: false,
        }).addTo(this.layer);
        ring.getElement()?.setAttribute('data-den-id', den.id);
      }
      const e = estimates[i];
      if (!e) return;
      const ell = L.polygon(ellipseLatLngs(e.ellipse_95, 96), {
        color: ELLIPSE_COLOUR, weight: selected ? 3 : 2, fill: false, className: 'den-ellipse', smoothFactor: 0, interactive: false,
      }).addTo(this.layer);
      ell.getElement()?.setAttribute('data-den-id', den.id);
      const marker = L.circleMarker([e.ml_point.lat_deg, e.ml_point.lon_deg], {
        radius: 7, color: '#000', weight: 1.5, fillColor: POINT_COLOUR, fillOpacity: 1, className: 'den-point',
      })
        // Leaflet renders tooltip strings as HTML: give it a text-only element.
        .bindTooltip(el('span', {}, `den ${den.id.slice(0, 8)} (${den.state}): most likely point; 95 % ellipse ${metres(e.ellipse_95.semi_major_m)} × ${metres(e.ellipse_95.semi_minor_m)}`))
        .on('click', (ev) => {
          L.DomEvent.stopPropagation(ev);
          this.select(den.id);
        })
        .addTo(this.layer);
      marker.getElement()?.setAttribute('data-den-id', den.id);
      for (const ll of ell.getLatLngs()[0]) points.push([ll.lat, ll.lng]);
    });
    if (!this.fitted && points.length) {
      this.map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 17 });
      this.fitted = true;
    }
  }

  renderList(estimates) {
    const items = this.dens.map((den, i) => {
      const e = estimates[i];
      return el('li', { class: `den state-${den.state}${den.id === this.selected ? ' selected' : ''}`, 'data-den-id': den.id, onclick: () => this.select(den.id) },
        el('div', { class: 'row1' },
          el('span', { class: 'badge', style: `background:${STATE_COLOURS[den.state] ?? '#444'}` }, den.state),
          el('strong', {}, ` den ${den.id.slice(0, 8)}`),
          el('span', { class: 'badge', style: `background:${SEVERITY_COLOURS[den.max_severity] ?? '#444'}` }, den.max_severity),
          el('span', { class: 'muted' }, ` score ${den.max_score.toFixed(2)}`)),
        el('div', {}, `${den.places.length} places · seen ${isoTime(den.first_seen_ts_ms)} – ${isoTime(den.last_seen_ts_ms)}${den.reactivations ? ` · reactivated ${den.reactivations}×` : ''}`),
        el('div', { class: 'muted' }, e ? `most likely ${e.ml_point.lat_deg.toFixed(5)}, ${e.ml_point.lon_deg.toFixed(5)} · 95 % ellipse ${metres(e.ellipse_95.semi_major_m)} × ${metres(e.ellipse_95.semi_minor_m)}` : 'not located yet'));
    });
    this.list.replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, this.atTs === null ? 'no dens yet' : 'no dens at this time')]));
  }

  async select(id) {
    this.selected = id;
    this.heatKey = '';
    this.lastDraw = '';
    await this.refresh();
  }

  async renderDetail() {
    const den = this.dens.find((d) => d.id === this.selected);
    if (!den) {
      this.detail.replaceChildren();
      return;
    }
    const q = this.atTs === null ? '' : `?until_ts_ms=${this.atTs}`;
    const ev = await getJson(`api/dens/${den.id}/evidence${q}`, this.token);
    const e = await this.estimateAt(den);
    const pl = e?.path_loss;
    const status = el('div', { class: 'muted', id: 'den-action-status' });
    const act = (label, fn) => el('button', { type: 'button', onclick: async () => {
      try {
        status.textContent = await fn();
      } catch (err) {
        status.textContent = `${label}: ${err.message}`;
      }
    } }, label);
    const outcome = el('select', { id: 'den-outcome' }, ...['raided', 'nothing_found', 'moved'].map((o) => el('option', { value: o }, o)));
    const timeline = ev.evidence.slice().reverse().map((x) =>
      el('li', { class: `evidence kind-${x.kind}`, 'data-kind': x.kind }, el('span', { class: 'muted' }, `${isoTime(x.ts_ms)} `), summaryText(x)));
    this.detail.replaceChildren(
      el('h2', {}, `Den ${den.id}`),
      el('div', {}, `state ${den.state}${den.outcome ? ` (${den.outcome})` : ''} · score ${den.max_score.toFixed(3)} · ${den.max_severity}`),
      el('div', {}, e ? `most likely point ${e.ml_point.lat_deg.toFixed(6)}, ${e.ml_point.lon_deg.toFixed(6)}; 95 % ellipse ${metres(e.ellipse_95.semi_major_m)} × ${metres(e.ellipse_95.semi_minor_m)} at ${e.ellipse_95.orientation_deg.toFixed(0)}°; 95 % region ${(e.hpd95_area_m2 / 1e4).toFixed(2)} ha` : 'no estimate yet'),
      el('div', { class: 'muted' }, pl ? `path loss fitted: ${pl.p1m_dbm.toFixed(1)} ± ${pl.p1m_sigma_db.toFixed(1)} dBm at 1 m, exponent ${pl.exponent.toFixed(2)} ± ${pl.exponent_sigma.toFixed(2)}, residual ${pl.rms_residual_db.toFixed(1)} dB` : 'no uplink measurements'),
      el('div', { class: 'muted' }, `places: ${den.places.map((p) => `${p.cell ? `${p.cell.mcc}-${p.cell.mnc}-${p.cell.lac}-${p.cell.ci}` : `arfcn ${p.arfcn}`} TA ${p.ta_steps}${p.ta_span > 1 ? `–${p.ta_steps + p.ta_span - 1}` : ''}`).join('; ')}`),
      el('div', { class: 'actions' },
        act('GeoJSON', async () => { await download(`api/dens/${den.id}/export.geojson`, this.token, `den-${den.id}.geojson`); return 'GeoJSON exported'; }),
        act('KML', async () => { await download(`api/dens/${den.id}/export.kml`, this.token, `den-${den.id}.kml`); return 'KML exported'; }),
        act('verify evidence', async () => {
          const v = await getJson(`api/dens/${den.id}/verify`, this.token);
          return `${v.valid}/${v.checked} signed envelopes verified${v.invalid.length ? `; ${v.invalid.length} failed` : ''}`;
        }),
        act('dispatch', async () => { await postJson(`api/dens/${den.id}/state`, this.token, { action: 'dispatch' }); this.lastDraw = ''; await this.poll(); return 'dispatched'; }),
        outcome,
        act('close', async () => { await postJson(`api/dens/${den.id}/state`, this.token, { action: 'close', outcome: outcome.value }); this.lastDraw = ''; await this.poll(); return `closed: ${outcome.value}`; })),
      status,
      el('div', { class: 'muted', id: 'guidance' }, this.unit ? '' : 'Fox hunt: click the map where the unit stands for guidance.'),
      el('h2', {}, `Evidence timeline (${ev.evidence.length})`),
      el('ol', { class: 'list timeline', id: 'timeline' }, ...timeline),
    );
  }

  async drawHeatmap() {
    if (!this.selected) {
      if (this.heatLayer) this.heatLayer.remove();
      this.heatLayer = null;
      return;
    }
    const b = this.map.getBounds();
    const size = this.map.getSize();
    const w = Math.max(16, Math.min(512, Math.round(size.x / 2)));
    const h = Math.max(16, Math.min(512, Math.round(size.y / 2)));
    const den = this.dens.find((d) => d.id === this.selected);
    const key = `${this.selected}|${b.toBBoxString()}|${w}x${h}|${den?.estimate?.ts_ms}`;
    if (key === this.heatKey) return;
    this.heatKey = key;
    let data;
    try {
      data = await getJson(`api/dens/${this.selected}/heatmap?west=${b.getWest()}&south=${b.getSouth()}&east=${b.getEast()}&north=${b.getNorth()}&width=${w}&height=${h}`, this.token);
    } catch {
      return;
    }
    const values = Uint8Array.from(atob(data.values_base64), (c) => c.charCodeAt(0));
    const canvas = document.createElement('canvas');
    canvas.width = data.width;
    canvas.height = data.height;
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(data.width, data.height);
    values.forEach((v, i) => {
      if (v === 0) return;
      img.data.set(heat(v), i * 4);
    });
    ctx.putImageData(img, 0, 0);
    const bounds = [[data.bbox.south, data.bbox.west], [data.bbox.north, data.bbox.east]];
    if (this.heatLayer) this.heatLayer.remove();
    this.heatLayer = L.imageOverlay(canvas.toDataURL(), bounds, { opacity: 0.75, className: 'den-heatmap', interactive: false }).addTo(this.map);
    this.heatLayer.getElement()?.setAttribute('data-den-id', this.selected);
    this.heatLayer.bringToBack();
  }

  setUnit(position) {
    this.unit = position;
    this.drawGuidance();
  }

  async drawGuidance() {
    this.unitLayer.clearLayers();
    if (!this.unit) return;
    L.circleMarker([this.unit.lat_deg, this.unit.lon_deg], { radius: 6, color: '#000', fillColor: '#fff', fillOpacity: 1, className: 'unit-marker' }).addTo(this.unitLayer);
    const target = this.selected ?? this.dens[0]?.id;
    const box = document.getElementById('guidance');
    if (!target) return;
    try {
      const g = await getJson(`api/dens/${target}/guidance?lat_deg=${this.unit.lat_deg}&lon_deg=${this.unit.lon_deg}`, this.token);
      L.polyline([[this.unit.lat_deg, this.unit.lon_deg], [g.target.lat_deg, g.target.lon_deg]], { color: '#000', weight: 3, dashArray: '6 4', className: 'guidance-line' }).addTo(this.unitLayer);
      const text = g.phase === 'done'
        ? `Fox hunt: you are at the most likely point (${metres(g.distance_m)} away).`
        : `Fox hunt (${g.phase}): walk ${metres(distanceM(this.unit, g.target))} toward ${bearingDeg(this.unit, g.target).toFixed(0)}°${g.guidance ? `; expected 95 % area after measuring there ${(g.guidance.expected_area_m2 / 1e4).toFixed(2)} ha` : ''}.`;
      if (box) box.textContent = text;
    } catch (err) {
      if (box) box.textContent = `guidance unavailable: ${err.message}`;
    }
  }
}

/** Start the den view on the page's map; polls on its own. */
export function startDens(map, token, panel) {
  const view = new DenView(map, token, panel);
  window.simhound = { ...(window.simhound ?? {}), map, dens: view };
  const loop = async () => {
    try {
      const n = await view.poll();
      document.body.dataset.densLoaded = String(n);
    } catch {
      // The main poll reports connection problems in the status line.
    }
    setTimeout(loop, POLL_MS);
  };
  if (token) loop();
  return view;
}
