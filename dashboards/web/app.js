// The investigator page: polls the collector every 2 s and redraws the map and the two lists.
import { ApiError, getJson, takeTokenFromUrl } from './api.js';
import { cellKey } from './format.js';
import { renderDetections, renderProbes } from './lists.js';
import { DOT_LABEL, MapView } from './map-layers.js';
import { startDens } from './dens.js';
import { addBasemap } from './basemap.js';

const POLL_INTERVAL_MS = 2000;

const token = takeTokenFromUrl();
const statusLine = document.getElementById('status');
const view = new MapView(document.getElementById('map'));
document.getElementById('dot-label').textContent = `dot = ${DOT_LABEL}`;
document.getElementById('fit').addEventListener('click', () => view.fit());
addBasemap(view.map);
startDens(view.map, token, document.getElementById('dens-panel'));

let lastDrawn = '';

function setStatus(text, kind) {
  statusLine.textContent = text;
  statusLine.className = kind;
}

async function poll() {
  if (!token) {
    setStatus('No API token: open this page as …/#token=<your token>', 'error');
    return;
  }
  try {
    const [probes, cells, detections] = await Promise.all([
      getJson('api/probes', token),
      getJson('api/cells', token),
      getJson('api/detections?limit=100', token),
    ]);
    const data = { probes: probes.probes, cells: cells.cells, detections: detections.detections };
    const fingerprint = JSON.stringify(data);
    if (fingerprint !== lastDrawn) {
      lastDrawn = fingerprint;
      view.draw(data);
      const located = new Set(data.cells.filter((c) => c.position).map(cellKey));
      renderDetections(document.getElementById('detections'), data.detections, located);
    }
    // Probe "last seen" ages change every poll even when the data does not.
    renderProbes(document.getElementById('probes'), data.probes, probes.now_ts_ms);
    document.body.dataset.loaded = 'true';
    setStatus(`updated ${new Date().toLocaleTimeString()} · ${data.detections.length} detections · ${data.probes.length} probes · ${data.cells.length} cells`, 'ok');
  } catch (e) {
    const text = e instanceof ApiError && (e.status === 401 || e.status === 403) ? `API refused the token (HTTP ${e.status})` : `cannot reach the collector: ${e.message}`;
    setStatus(text, 'error');
  }
}

async function loop() {
  await poll();
  setTimeout(loop, POLL_INTERVAL_MS);
}
loop();
