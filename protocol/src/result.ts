/**
 * Typed outcomes. Parsers and validators in simhound never throw on bad input: they return
 * `{ ok: false, reason }` with a reason from a closed set, so callers can count reasons.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Fail<R extends string> = { readonly ok: false; readonly reason: R; readonly detail?: string };
export type Result<T, R extends string> = Ok<T> | Fail<R>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function fail<R extends string>(reason: R, detail?: string): Fail<R> {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}

/** A counter of rejection reasons, exported in probe status and collector health. */
export class ReasonCounter<R extends string = string> {
  private readonly counts = new Map<R, number>();
  private totalCount = 0;

  add(reason: R, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
    this.totalCount += n;
  }

  get(reason: R): number {
    return this.counts.get(reason) ?? 0;
  }

  get total(): number {
    return this.totalCount;
  }

  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of [...this.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out[k] = v;
    return out;
  }
}
