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
