/** Turns a closed feature window into the `window` message body (counts only, no identities). */
import type { EstablishmentCause, WindowBody } from '@simhound/protocol';
import type { WindowFeatures } from './feature-window.js';

export function windowToBody(w: WindowFeatures): WindowBody {
  const body: WindowBody = {
    window: { start_ts_ms: w.start_ts_ms, end_ts_ms: w.end_ts_ms },
    window_s: w.window_s,
    assignments: [],
    pagings: [],
  };
  for (const c of w.cells.values()) {
    for (const slot of c.slots.values()) {
      for (const [cause, count] of Object.entries(slot.count_by_cause)) {
        body.assignments.push({ cell: c.cell, arfcn: c.arfcn, ta_steps: slot.ta_steps, cause: cause as EstablishmentCause, event_count: count ?? 0 });
      }
    }
    if (c.paging_count > 0) body.pagings.push({ cell: c.cell, arfcn: c.arfcn, event_count: c.paging_count, distinct_subs: c.paging_subs.size });
  }
  return body;
}
