// The offline base map: if the collector serves one (/basemap/, from a local MBTiles/PMTiles file), raster
// tiles go into a Leaflet tile layer and vector tiles are drawn by protomaps-leaflet (loaded from the
// collector, never from the internet). Without one the map keeps its plain background.
import * as L from './vendor/leaflet/leaflet-src.esm.js';

/** Leaflet renders attributions as HTML; the file's metadata is not ours to trust: escape it. */
function escapeHtml(text) {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
}

export async function addBasemap(map) {
  let meta;
  try {
    const r = await fetch('basemap/metadata.json', { cache: 'no-store' });
    if (!r.ok) return null;
    meta = await r.json();
    if (meta.kind !== 'raster' && meta.kind !== 'vector') return null;
  } catch {
    return null;
  }
  L.control.attribution({ prefix: false }).addTo(map);
  const options = { minZoom: 0, maxNativeZoom: meta.max_zoom, maxZoom: 19, attribution: escapeHtml(meta.attribution ?? ''), className: 'basemap' };
  let layer;
  if (meta.kind === 'raster') {
    layer = L.tileLayer(`basemap/{z}/{x}/{y}.${meta.format}`, { ...options, minNativeZoom: meta.min_zoom });
  } else {
    // protomaps-leaflet's build extends the global L.
    window.L = L;
    await loadScript('vendor/protomaps-leaflet/protomaps-leaflet.js');
    layer = window.protomapsL.leafletLayer({ url: 'basemap/{z}/{x}/{y}.pbf', flavor: 'light', lang: 'en', maxDataZoom: meta.max_zoom, ...options });
  }
  layer.addTo(map);
  layer.bringToBack?.();
  document.body.dataset.basemap = meta.kind;
  return layer;
}
