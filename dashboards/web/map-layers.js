// Draws what the API returned on the Leaflet map: cells (from /api/cells, where the cell DB knows their
// position), probes coloured by health, and for each detection its TA ring around the serving cell plus
// a dot at the ring point nearest the reporting probe. No tile layer: the page works offline.
import * as L from './vendor/leaflet/leaflet-src.esm.js';
import { annulusLatLngs, nearestRingPoint } from './geo.js';
import { HEALTH_COLOURS, SEVERITY_COLOURS, cellKey, el, metres } from './format.js';

// Leaflet renders a string tooltip as HTML. Every tooltip here holds imported or received text (cell
// DB columns, detector names), so it is always given as an element with text content only.
const textTooltip = (text) => el('span', {}, text);

export const DOT_LABEL = 'coarse: TA ring point nearest the probe; full geolocation comes later';

export class MapView {
  constructor(element) {
    this.map = L.map(element, { zoomControl: true, attributionControl: false, preferCanvas: false }).setView([0, 0], 2);
    this.cells = L.layerGroup().addTo(this.map);
    this.rings = L.layerGroup().addTo(this.map);
    this.probes = L.layerGroup().addTo(this.map);
    this.dots = L.layerGroup().addTo(this.map);
    this.fitted = false;
    this.bounds = null;
    L.control.scale({ imperial: false }).addTo(this.map);
  }

  /** Redraw everything; `data` = { cells, probes, detections } as the API returned them. */
  draw({ cells, probes, detections }) {
    for (const group of [this.cells, this.rings, this.probes, this.dots]) group.clearLayers();
    const points = [];
    const cellPositions = new Map();
    for (const c of cells) {
      if (!c.position) continue;
      const key = cellKey(c);
      cellPositions.set(key, c.position);
      points.push([c.position.lat_deg, c.position.lon_deg]);
      L.circleMarker([c.position.lat_deg, c.position.lon_deg], {
        radius: 6, color: '#222', weight: 2, fillColor: '#fff', fillOpacity: 1, className: 'cell-marker',
      })
        .bindTooltip(textTooltip(`cell ${key} (arfcn ${c.arfcn ?? '?'}, ${c.position.radio}); detections_total ${c.detections_total}`))
        .addTo(this.cells);
    }
    const probePositions = new Map();
    for (const p of probes) {
      const position = p.status?.position;
      if (!position) continue;
      probePositions.set(`${p.site}/${p.probe}`, position);
      points.push([position.lat_deg, position.lon_deg]);
      L.circleMarker([position.lat_deg, position.lon_deg], {
        radius: 8, color: '#000', weight: 1, fillColor: HEALTH_COLOURS[p.health] ?? HEALTH_COLOURS.unknown, fillOpacity: 0.95,
        className: `probe-marker probe-${p.health}`,
      })
        .bindTooltip(textTooltip(`probe ${p.site}/${p.probe}: ${p.health}`))
        .addTo(this.probes);
    }
    // Oldest first so the newest detection is drawn on top.
    for (const d of [...detections].reverse()) {
      const centre = cellPositions.get(cellKey(d.cell));
      if (!centre) continue;
      const colour = SEVERITY_COLOURS[d.severity] ?? '#444';
      const ring = L.polygon(annulusLatLngs(centre, d.range_min_m, d.range_max_m), {
        color: colour, weight: 1, fillColor: colour, fillOpacity: 0.18, className: 'ta-ring',
        smoothFactor: 0, // keep every vertex: simplification makes the ring visibly polygonal
      })
        .bindTooltip(textTooltip(`${d.detector}@${d.detector_version} ta_steps ${d.ta_steps}: ${metres(d.range_min_m)}–${metres(d.range_max_m)} from cell ${cellKey(d.cell)}`))
        .addTo(this.rings);
      ring.getElement()?.setAttribute('data-detection-id', d.id);
      points.push([centre.lat_deg, centre.lon_deg]);
      for (const latlng of ring.getLatLngs()[0]) points.push([latlng.lat, latlng.lng]);
      const probePosition = d.position ?? probePositions.get(`${d.site}/${d.probe}`);
      if (!probePosition) continue;
      const point = nearestRingPoint(centre, probePosition, d.range_min_m, d.range_max_m);
      const dot = L.circleMarker([point.lat_deg, point.lon_deg], {
        radius: 5, color: '#000', weight: 1, fillColor: colour, fillOpacity: 1, className: 'detection-dot',
      })
        .bindTooltip(textTooltip(`${DOT_LABEL} (${d.site}/${d.probe}, score ${d.score})`))
        .addTo(this.dots);
      dot.getElement()?.setAttribute('data-detection-id', d.id);
    }
    if (points.length > 0) {
      this.bounds = L.latLngBounds(points);
      if (!this.fitted) this.fit();
    }
  }

  fit() {
    if (!this.bounds) return;
    this.map.fitBounds(this.bounds.pad(0.1), { maxZoom: 16 });
    this.fitted = true;
  }
}
