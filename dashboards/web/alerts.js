// Alerts on the page, live: the open alerts (tier, state, deadlines, who is on it, why), kept current by
// the collector's Server-Sent Events stream (api/alerts/stream: `alert` for every change, `notification`
// for alerts sent to this user, `reload` when the page missed too much). The stream is read with fetch,
// not EventSource, because it needs the bearer token in a header (never in a URL). Case officers and
// admins get the buttons (acknowledge, dispatch, close with an outcome); investigators only read.
// Text only (textContent).
import { ApiError, download, getJson } from './api.js';
import { el, isoTime, SEVERITY_COLOURS } from './format.js';

const RECONNECT_MS = 3000;
const OUTCOMES = [['raided', 'raided'], ['nothing_found', 'nothing found'], ['moved', 'moved']];
const OPEN_STATES = new Set(['raised', 'delivered', 'acknowledged', 'dispatched']);

async function post(path, token, body) {
  const r = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.detail ?? data.error ?? `HTTP ${r.status}`);
  return data;
}


/** Parse SSE text into frames; returns the unparsed rest. */
export function parseSse(text, onFrame) {
  const blocks = text.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    const frame = { id: null, event: 'message', data: [] };
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data.push(value);
    }
    if (frame.data.length > 0) onFrame({ id: frame.id, event: frame.event, data: frame.data.join('\n') });
  }
  return rest;
}

export function startAlerts(token, panel) {
  const alerts = new Map();
  let you = null;
  let lastEventId = null;
  let live = false;
  let notice = null;

  const title = el('h2', {}, 'Alerts');
  const status = el('div', { class: 'muted', id: 'alerts-status' }, 'connecting…');
  const banner = el('div', { id: 'alert-banner', class: 'alert-banner', hidden: true });
  const list = el('ol', { id: 'alerts', class: 'list' });
  panel.append(title, status, banner, list);

  function showNotice(n) {
    notice = n;
    banner.hidden = false;
    banner.className = `alert-banner tier-${n.tier}`;
    banner.replaceChildren(
      el('strong', {}, `${n.tier.toUpperCase()} alert ${n.event === 'raised' ? 'for you' : n.event}`),
      ` · den ${n.den_id.slice(0, 8)} · score ${n.score.toFixed(2)} · acknowledge by ${isoTime(n.ack_deadline_ts_ms)}`,
    );
    banner.dataset.alertId = n.alert_id;
    banner.dataset.event = n.event;
  }

  function deadline(label, ts, overdue) {
    return el('span', { class: overdue ? 'overdue' : '' }, `${label} ${isoTime(ts)}${overdue ? ' (overdue)' : ''}`);
  }

  function render() {
    const open = [...alerts.values()].filter((a) => OPEN_STATES.has(a.state) || a.updated_ts_ms > Date.now() - 3_600_000);
    const rank = { high: 0, medium: 1, low: 2 };
    open.sort((a, b) => (OPEN_STATES.has(b.state) - OPEN_STATES.has(a.state)) || rank[a.tier] - rank[b.tier] || b.raised_ts_ms - a.raised_ts_ms);
    if (open.length === 0) {
      list.replaceChildren(el('li', { class: 'empty' }, 'no open alerts'));
      return;
    }
    list.replaceChildren(...open.map(item));
  }

  function item(a) {
    const li = el('li', { class: `alert tier-${a.tier} state-${a.state}`, 'data-alert-id': a.id, 'data-tier': a.tier, 'data-state': a.state });
    const head = el('div', {},
      el('span', { class: 'badge', style: `background:${SEVERITY_COLOURS[a.tier]}` }, a.tier), ' ',
      el('strong', { class: 'alert-state' }, a.state), ` · den ${a.den_id.slice(0, 8)} · score ${a.assessment.score.toFixed(2)} · confidence ${a.assessment.confidence.toFixed(2)}`,
      a.cycle > 1 ? ` · reactivated (cycle ${a.cycle})` : '');
    const who = el('div', { class: 'muted' },
      `to ${a.recipients.map((r) => r.officer).join(', ') || 'nobody (no roster covers it)'}${a.escalation_level > 0 ? ` · escalated ×${a.escalation_level}` : ''}`,
      a.acknowledged_by ? ` · acknowledged by ${a.acknowledged_by}` : '',
      a.outcome ? ` · outcome ${a.outcome} by ${a.outcome_by}` : '');
    const times = el('div', { class: 'deadlines' });
    if (a.state === 'raised' || a.state === 'delivered') times.append(deadline('acknowledge by', a.ack_deadline_ts_ms, a.overdue?.ack), ' · ');
    if (a.state !== 'closed') times.append(deadline('outcome by', a.outcome_deadline_ts_ms, a.overdue?.outcome));
    const reasons = el('div', { class: 'reasons muted' }, a.assessment.reasons.join(' · '));
    li.append(head, who, times, reasons);

    const actions = el('div', { class: 'actions' });
    const act = (label, cls, path, body) => {
      const b = el('button', { type: 'button', class: cls }, label);
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          const r = await post(`api/alerts/${a.id}/${path}`, token, body?.());
          alerts.set(r.alert.id, r.alert);
          render();
        } catch (e) {
          status.textContent = `${label}: ${e.message}`;
          status.className = 'error';
          b.disabled = false;
        }
      });
      return b;
    };
    if (you?.may_act) {
      if (a.state === 'raised' || a.state === 'delivered') actions.append(act('Acknowledge', 'ack', 'ack'));
      if (a.state === 'acknowledged') actions.append(act('Dispatch', 'dispatch', 'dispatch'));
      if (a.state === 'acknowledged' || a.state === 'dispatched') {
        const pick = el('select', { class: 'outcome' }, ...OUTCOMES.map(([v, t]) => el('option', { value: v }, t)));
        const note = el('input', { class: 'note', placeholder: 'note', maxLength: 2000 });
        actions.append(pick, note, act('Close', 'close', 'outcome', () => ({ outcome: pick.value, ...(note.value ? { note: note.value } : {}) })));
      }
    }
    const file = (ext) => {
      const b = el('button', { type: 'button', class: `case-${ext}` }, `case ${ext.toUpperCase()}`);
      b.addEventListener('click', () => download(`api/alerts/${a.id}/case.${ext}`, token, `simhound-case-${a.id}.${ext}`).catch((e) => { status.textContent = e.message; }));
      return b;
    };
    actions.append(file('html'), file('json'));
    li.append(actions);
    return li;
  }

  async function reload() {
    const r = await getJson('api/alerts?limit=200', token);
    you = r.you;
    alerts.clear();
    for (const a of r.alerts) alerts.set(a.id, a);
    render();
  }

  function onFrame(f) {
    if (f.id !== null) lastEventId = f.id;
    if (f.event === 'alert') {
      const a = JSON.parse(f.data);
      alerts.set(a.id, a);
      render();
    } else if (f.event === 'notification') {
      showNotice(JSON.parse(f.data));
    } else if (f.event === 'reload') {
      void reload();
    }
  }

  async function stream() {
    for (;;) {
      try {
        const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
        if (lastEventId !== null) headers['last-event-id'] = lastEventId;
        const r = await fetch('api/alerts/stream', { headers, cache: 'no-store' });
        if (!r.ok) throw new ApiError(r.status, 'api/alerts/stream');
        live = true;
        panel.dataset.live = 'true';
        status.textContent = `live · ${you?.may_act ? 'you can act on alerts' : 'read only'}`;
        status.className = 'ok';
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffered = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffered = parseSse(buffered + decoder.decode(value, { stream: true }), onFrame);
        }
      } catch (e) {
        status.textContent = e instanceof ApiError && (e.status === 401 || e.status === 403) ? `alerts refused (HTTP ${e.status})` : `alert stream lost: ${e.message}; retrying`;
        status.className = 'error';
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return;
      }
      live = false;
      panel.dataset.live = 'false';
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
  }

  if (!token) return;
  reload()
    .then(() => stream())
    .catch((e) => {
      status.textContent = e instanceof ApiError && e.status === 403 ? 'alerts: not for your role' : `alerts: ${e.message}`;
      status.className = 'error';
    });
  return { get live() { return live; }, get notice() { return notice; } };
}
