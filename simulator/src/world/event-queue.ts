/**
 * The world's agenda: a binary min-heap of (time, kind, a, b) entries in parallel typed arrays, so a
 * day of a city (millions of entries pushed and popped) allocates nothing per entry. Ties on time pop
 * in insertion order (a sequence number breaks them), which keeps runs deterministic.
 *
 * It knows nothing about what the kinds mean; the world dispatches on them.
 */

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private kinds = new Int32Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  private n = 0;
  private seq = 0;

  /** The popped entry's fields (valid until the next pop). */
  kind = 0;
  a = 0;
  b = 0;
  time = 0;

  get size(): number {
    return this.n;
  }

  /** Time of the earliest entry, or +Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, kind: number, a: number, b = 0): void {
    if (this.n === this.times.length) this.grow();
    let i = this.n++;
    const s = this.seq++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.times[parent]!;
      if (pt < time || (pt === time && this.seqs[parent]! < s)) break;
      this.move(parent, i);
      i = parent;
    }
    this.times[i] = time;
    this.seqs[i] = s;
    this.kinds[i] = kind;
    this.as[i] = a;
    this.bs[i] = b;
  }

  /** Removes the earliest entry into `time`, `kind`, `a`, `b`. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    this.time = this.times[0]!;
    this.kind = this.kinds[0]!;
    this.a = this.as[0]!;
    this.b = this.bs[0]!;
    const last = --this.n;
    if (last === 0) return true;
    const t = this.times[last]!;
    const s = this.seqs[last]!;
    const k = this.kinds[last]!;
    const a = this.as[last]!;
    const b = this.bs[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last) {
        const ct = this.times[child]!;
        const rt = this.times[right]!;
        if (rt < ct || (rt === ct && this.seqs[right]! < this.seqs[child]!)) child = right;
      }
      const ct = this.times[child]!;
      if (t < ct || (t === ct && s < this.seqs[child]!)) break;
      this.move(child, i);
      i = child;
    }
    this.times[i] = t;
    this.seqs[i] = s;
    this.kinds[i] = k;
    this.as[i] = a;
    this.bs[i] = b;
    return true;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.as[to] = this.as[from]!;
    this.bs[to] = this.bs[from]!;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const grow64 = (x: Float64Array) => {
      const y = new Float64Array(size);
      y.set(x);
      return y;
    };
    const grow32 = (x: Int32Array) => {
      const y = new Int32Array(size);
      y.set(x);
      return y;
    };
    this.times = grow64(this.times);
    this.seqs = grow64(this.seqs);
    this.kinds = grow32(this.kinds);
    this.as = grow32(this.as);
    this.bs = grow32(this.bs);
  }
}
