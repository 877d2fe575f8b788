// Talks to the collector's API: keeps the bearer token (taken once from the URL fragment #token=…, then
// held in sessionStorage and removed from the address bar so it does not end up in history or a
// screenshot), and fetches JSON with it.

const TOKEN_KEY = 'simhound.api_token';

export function takeTokenFromUrl(win = window) {
  const match = /(?:^#|&)token=([^&]+)/.exec(win.location.hash);
  if (match) {
    win.sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  return win.sessionStorage.getItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, path) {
    super(`${path}: HTTP ${status}`);
    this.status = status;
  }
}

export async function getJson(path, token) {
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, path);
  return response.json();
}

/** Fetches `path` with the token and hands it to the browser as a file download named `filename`. */
export async function download(path, token, filename) {
  const r = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new ApiError(r.status, path);
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
