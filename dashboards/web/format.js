// Display formatting shared by the lists and map tooltips. Names shown are the field vocabulary's.

export const cellKey = (cell) => (cell ? `${cell.mcc}-${cell.mnc}-${cell.lac}-${cell.ci}` : 'unknown');

export function isoTime(ts_ms) {
  return ts_ms == null ? '—' : new Date(ts_ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function ago(ts_ms, now_ms) {
  if (ts_ms == null) return 'never';
  const s = Math.max(0, Math.round((now_ms - ts_ms) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function metres(m) {
  return m >= 10000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`;
}

export const HEALTH_COLOURS = {
  online: '#1a9641',
  degraded: '#f0a30a',
  offline: '#6b6b6b',
  silent: '#d7191c',
  unknown: '#4f6d9a',
};

export const SEVERITY_COLOURS = { high: '#d7191c', medium: '#f0a30a', low: '#4f6d9a' };

/** Make an element with text content only (never innerHTML with data). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}
