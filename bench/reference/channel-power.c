/*
 * channel-power: the reference oracle for simhound's TypeScript channelizer (edge-agent/src/iq/dsp/).
 * Written independently in C with FFTW3 (double precision, the same precision as fft.js), it computes
 * the same per-ARFCN channel powers from the same IQ input by the same definition:
 *
 *   samples → DC removal (block-mean exponential estimate, time constant dc_tau)
 *           → IQ imbalance correction (second moments of every 8th frame's FFT input mapped back to the
 *             uncorrected samples, time constant iq_tau)
 *           → periodic window → FFT (forward, e^{-2πikn/N}) → |X|² → per channel: Σ over bins of
 *             |X_k|² × (fraction of bin k's [f-Δ/2, f+Δ/2] inside the channel), / (N Σ w²)
 *
 * Modes:
 *   channel-power --format F --rate HZ --fft N [--hop H] [--window W] [--dc-tau S|--no-dc]
 *                 [--iq|--no-iq] [--iq-tau S] --channels OFF1,OFF2,… [--width HZ]
 *                 --out FILE          per frame, per channel: power then upper-half power (float64 LE)
 *                 --bench R           read stdin into memory, time R passes, print JSON (best pass, MS/s)
 *   channel-power --fcch --format F --rate HZ --channel-offset HZ
 *                 FCCH reference: a fine spectrogram of the channel; frames where one tone holds most
 *                 of the channel's energy, grouped into bursts; prints one JSON line per burst
 *                 {centre_sample, tone_hz, concentration}.
 *
 * Input is read from stdin. Build: gcc -O2 -o channel-power channel-power.c $(pkg-config --cflags --libs fftw3) -lm
 */
#include <fftw3.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IQ_STATS_EVERY 8

enum format { CU8, CS8, CS16, CF32 };

struct options {
  enum format format;
  double rate;
  int fft;
  int hop;
  int window; /* 0 hann, 1 blackman-harris, 2 rect */
  double dc_tau;
  int dc;
  int iq;
  double iq_tau;
  double width;
  double offsets[1024];
  int channels;
  const char *out;
  int bench;
  int fcch;
  double channel_offset;
};

static void die(const char *msg) {
  fprintf(stderr, "channel-power: %s\n", msg);
  exit(2);
}

static int bytes_per_sample(enum format f) { return f == CS16 ? 4 : f == CF32 ? 8 : 2; }

static unsigned char *read_all(FILE *f, size_t *len) {
  size_t cap = 1 << 20, n = 0;
  unsigned char *buf = malloc(cap);
  if (!buf) die("out of memory");
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) die("out of memory");
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    if (got == 0) break;
    n += got;
  }
  *len = n;
  return buf;
}

static double clock_s(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void make_window(int kind, int n, double *w) {
  for (int i = 0; i < n; i++) {
    double x = 2 * M_PI * i / n;
    if (kind == 0) w[i] = 0.5 - 0.5 * cos(x);
    else if (kind == 1) w[i] = 0.35875 - 0.48829 * cos(x) + 0.14128 * cos(2 * x) - 0.01168 * cos(3 * x);
    else w[i] = 1;
  }
}

static double overlap(double a0, double a1, double b0, double b1) {
  double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
}

/* ---------------------------------------------------------------- channel powers */

struct channelizer {
  int n, hop, channels;
  double *w, *hist, norm;
  fftw_complex *in, *out;
  fftw_plan plan;
  int *bin_start, *bin;
  double *weight, *upper_weight;
  double lut[256];
  double dc_i, dc_q, dc_beta;
  int dc, dc_primed, iq, stat_frames;
  double e_ii, e_qq, e_iq, iq_gamma, c1, c2;
  long frame;
  double *power, *upper;
};

static void channelizer_init(struct channelizer *c, const struct options *o, unsigned plan_flags) {
  memset(c, 0, sizeof *c);
  c->n = o->fft;
  c->hop = o->hop;
  c->channels = o->channels;
  c->w = malloc(sizeof(double) * c->n);
  make_window(o->window, c->n, c->w);
  double energy = 0;
  for (int i = 0; i < c->n; i++) energy += c->w[i] * c->w[i];
  c->norm = 1 / (c->n * energy);
  c->hist = calloc(2 * c->n, sizeof(double));
  c->in = fftw_malloc(sizeof(fftw_complex) * c->n);
  c->out = fftw_malloc(sizeof(fftw_complex) * c->n);
  c->plan = fftw_plan_dft_1d(c->n, c->in, c->out, FFTW_FORWARD, plan_flags);
  /* bins of each channel, natural FFT order */
  double delta = o->rate / c->n;
  c->bin_start = malloc(sizeof(int) * (c->channels + 1));
  c->bin = malloc(sizeof(int) * c->n * c->channels);
  c->weight = malloc(sizeof(double) * c->n * c->channels);
  c->upper_weight = malloc(sizeof(double) * c->n * c->channels);
  int m = 0;
  for (int ch = 0; ch < c->channels; ch++) {
    c->bin_start[ch] = m;
    double lo = o->offsets[ch] - o->width / 2, hi = o->offsets[ch] + o->width / 2;
    for (int k = 0; k < c->n; k++) {
      double f = (k < c->n / 2 ? k : k - c->n) * o->rate / c->n;
      double wgt = overlap(f - delta / 2, f + delta / 2, lo, hi) / delta;
      if (wgt <= 0) continue;
      c->bin[m] = k;
      c->weight[m] = wgt;
      c->upper_weight[m] = overlap(f - delta / 2, f + delta / 2, o->offsets[ch], hi) / delta;
      m++;
    }
  }
  c->bin_start[c->channels] = m;
  for (int b = 0; b < 256; b++) c->lut[b] = o->format == CU8 ? (b - 127.5) / 128 : (b < 128 ? b : b - 256) / 128.0;
  c->dc = o->dc;
  c->dc_beta = o->hop / (o->dc_tau * o->rate);
  if (c->dc_beta > 1) c->dc_beta = 1;
  c->iq = o->iq;
  c->iq_gamma = IQ_STATS_EVERY * (double)o->hop / (o->iq_tau * o->rate);
  if (c->iq_gamma > 1) c->iq_gamma = 1;
  c->c1 = 1;
  c->c2 = 0;
  c->power = malloc(sizeof(double) * c->channels);
  c->upper = malloc(sizeof(double) * c->channels);
}

static void channelizer_reset(struct channelizer *c) {
  c->dc_i = c->dc_q = 0;
  c->dc_primed = 0;
  c->e_ii = c->e_qq = c->e_iq = 0;
  c->stat_frames = 0;
  c->c1 = 1;
  c->c2 = 0;
  c->frame = 0;
  memset(c->hist, 0, sizeof(double) * 2 * c->n);
}

/* IQ moments of this frame's windowed, corrected FFT input, mapped back through the correction in
   force to the DC-free uncorrected samples, smoothed; then the new correction. Ratios only matter. */
static void update_iq(struct channelizer *c) {
  double s_rr = 0, s_mm = 0, s_rm = 0;
  for (int k = 0; k < c->n; k++) {
    double re = c->in[k][0], im = c->in[k][1];
    s_rr += re * re;
    s_mm += im * im;
    s_rm += re * im;
  }
  double c1 = c->c1, c2 = c->c2;
  double m_ii = s_rr;
  double m_qq = (s_mm - 2 * c2 * s_rm + c2 * c2 * s_rr) / (c1 * c1);
  double m_iq = (s_rm - c2 * s_rr) / c1;
  double g = c->stat_frames == 0 ? 1 : c->iq_gamma;
  c->stat_frames++;
  c->e_ii += g * (m_ii - c->e_ii);
  c->e_qq += g * (m_qq - c->e_qq);
  c->e_iq += g * (m_iq - c->e_iq);
  if (c->e_ii > 0 && c->e_qq > 0) {
    double gain = sqrt(c->e_qq / c->e_ii);
    double s = c->e_iq / sqrt(c->e_ii * c->e_qq);
    if (s > 0.5) s = 0.5;
    else if (s < -0.5) s = -0.5;
    double co = sqrt(1 - s * s);
    c->c1 = 1 / (gain * co);
    c->c2 = -s / co;
  }
}

static inline __attribute__((always_inline)) double sample_value(const struct channelizer *c, enum format f, const unsigned char *p, int idx) {
  switch (f) {
  case CU8:
  case CS8: return c->lut[p[idx]];
  case CS16: {
    int16_t v;
    memcpy(&v, p + 2 * idx, 2);
    return v * (1.0 / 32768);
  }
  default: {
    float v;
    memcpy(&v, p + 4 * idx, 4);
    return (double)v;
  }
  }
}

/* One hop of input (hop samples at p) → one frame of channel powers in c->power / c->upper.
   Always inlined into a switch on the format, so each format gets its own specialised loop. */
static inline __attribute__((always_inline)) void frame_impl(struct channelizer *c, enum format f, const unsigned char *p) {
  const int n = c->n, h = c->hop;
  const int overlapped = h != n;
  double s_i = 0, s_q = 0;
  const double dc_i = c->dc_i, dc_q = c->dc_q, c1 = c->c1, c2 = c->c2;
  const double *restrict w = c->w;
  double *restrict hist = c->hist;
  fftw_complex *restrict in = c->in;
  const int keep = 2 * (n - h);
  if (overlapped) memmove(hist, hist + 2 * h, sizeof(double) * keep);
  for (int k = 0; k < h; k++) {
    double i = sample_value(c, f, p, 2 * k), q = sample_value(c, f, p, 2 * k + 1);
    s_i += i;
    s_q += q;
    double re = i - dc_i;
    double im = (q - dc_q) * c1 + re * c2;
    if (!overlapped) {
      in[k][0] = re * w[k];
      in[k][1] = im * w[k];
    } else {
      hist[keep + 2 * k] = re;
      hist[keep + 2 * k + 1] = im;
    }
  }
  if (overlapped)
    for (int k = 0; k < n; k++) {
      in[k][0] = hist[2 * k] * w[k];
      in[k][1] = hist[2 * k + 1] * w[k];
    }
  if (c->iq && c->frame % IQ_STATS_EVERY == 0) update_iq(c);
  if (c->dc) {
    double b = c->dc_primed ? c->dc_beta : 1;
    c->dc_primed = 1;
    c->dc_i += b * (s_i / h - c->dc_i);
    c->dc_q += b * (s_q / h - c->dc_q);
  }
  fftw_execute(c->plan);
  const fftw_complex *restrict out = c->out;
  const int *restrict bin = c->bin;
  const double *restrict weight = c->weight, *restrict upper_weight = c->upper_weight;
  for (int ch = 0; ch < c->channels; ch++) {
    double s = 0, u = 0;
    for (int j = c->bin_start[ch], end = c->bin_start[ch + 1]; j < end; j++) {
      int k = bin[j];
      double re = out[k][0], im = out[k][1];
      double pw = re * re + im * im;
      s += weight[j] * pw;
      u += upper_weight[j] * pw;
    }
    c->power[ch] = s * c->norm;
    c->upper[ch] = u * c->norm;
  }
  c->frame++;
}

static void channelizer_frame(struct channelizer *c, enum format f, const unsigned char *p) {
  switch (f) {
  case CU8: frame_impl(c, CU8, p); break;
  case CS8: frame_impl(c, CS8, p); break;
  case CS16: frame_impl(c, CS16, p); break;
  case CF32: frame_impl(c, CF32, p); break;
  }
}

static int run_channel_power(const struct options *o) {
  size_t len;
  unsigned char *data = read_all(stdin, &len);
  int bps = bytes_per_sample(o->format);
  long frames = (long)(len / bps) / o->hop;
  struct channelizer c;
  if (o->bench > 0) {
    /* Each pass processes the whole input from a reset state; the best pass (least CPU time, and
       separately least wall time) is reported, like the TypeScript side in bench/iq-channelizer.ts. */
    channelizer_init(&c, o, FFTW_MEASURE);
    double checksum = 0, best_cpu = 1e300, best_wall = 1e300;
    for (long fr = 0; fr < frames; fr++) channelizer_frame(&c, o->format, data + fr * o->hop * bps); /* warm-up */
    for (int r = 0; r < o->bench; r++) {
      channelizer_reset(&c);
      double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
      for (long fr = 0; fr < frames; fr++) {
        channelizer_frame(&c, o->format, data + fr * o->hop * bps);
        checksum += c.power[0];
      }
      double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0, wall = clock_s(CLOCK_MONOTONIC) - w0;
      if (cpu < best_cpu) best_cpu = cpu;
      if (wall < best_wall) best_wall = wall;
    }
    double samples = (double)frames * o->hop;
    printf("{\"msps_cpu\":%.3f,\"msps_wall\":%.3f,\"samples_per_pass\":%.0f,\"passes\":%d,\"frames_per_pass\":%ld,\"checksum\":%.6e}\n",
           samples / best_cpu / 1e6, samples / best_wall / 1e6, samples, o->bench, frames, checksum);
    return 0;
  }
  channelizer_init(&c, o, FFTW_ESTIMATE);
  FILE *out = fopen(o->out, "wb");
  if (!out) die("cannot open --out file");
  for (long fr = 0; fr < frames; fr++) {
    channelizer_frame(&c, o->format, data + fr * o->hop * bps);
    for (int ch = 0; ch < c.channels; ch++) {
      fwrite(&c.power[ch], sizeof(double), 1, out);
      fwrite(&c.upper[ch], sizeof(double), 1, out);
    }
  }
  fclose(out);
  fprintf(stderr, "channel-power: %ld frames × %d channels\n", frames, c.channels);
  return 0;
}

/* ---------------------------------------------------------------- FCCH reference */

static int run_fcch(const struct options *o) {
  size_t len;
  unsigned char *data = read_all(stdin, &len);
  int bps = bytes_per_sample(o->format);
  long samples = (long)(len / bps);
  /* Window of at most ~400 µs (shorter than the 546 µs FCCH burst), hop 1/16 of it. */
  int m = 16;
  while (m * 2 <= o->rate * 400e-6) m *= 2;
  int hop = m / 16;
  double delta = o->rate / m;
  double *w = malloc(sizeof(double) * m);
  make_window(0, m, w);
  fftw_complex *in = fftw_malloc(sizeof(fftw_complex) * m), *out = fftw_malloc(sizeof(fftw_complex) * m);
  fftw_plan plan = fftw_plan_dft_1d(m, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
  struct channelizer lutc;
  memset(&lutc, 0, sizeof lutc);
  for (int b = 0; b < 256; b++) lutc.lut[b] = o->format == CU8 ? (b - 127.5) / 128 : (b < 128 ? b : b - 256) / 128.0;
  double *pw = malloc(sizeof(double) * m);
  double thr = 0.8; /* the SCH's extended training sequence reaches ~0.65 */
  int in_burst = 0;
  double best = 0, best_centre = 0, best_tone = 0, run_first = 0, run_last = 0;
  for (long s0 = 0; s0 + m <= samples; s0 += hop) {
    double mi = 0, mq = 0;
    for (int k = 0; k < m; k++) {
      mi += sample_value(&lutc, o->format, data + (s0 + k) * bps, 0);
      mq += sample_value(&lutc, o->format, data + (s0 + k) * bps, 1);
    }
    mi /= m;
    mq /= m;
    for (int k = 0; k < m; k++) {
      in[k][0] = (sample_value(&lutc, o->format, data + (s0 + k) * bps, 0) - mi) * w[k];
      in[k][1] = (sample_value(&lutc, o->format, data + (s0 + k) * bps, 1) - mq) * w[k];
    }
    fftw_execute(plan);
    double total = 0, peak = 0;
    int peak_k = -1;
    for (int k = 0; k < m; k++) {
      double f = (k < m / 2 ? k : k - m) * delta - o->channel_offset;
      pw[k] = out[k][0] * out[k][0] + out[k][1] * out[k][1];
      if (f >= -100e3 && f <= 100e3) total += pw[k];
      if (f >= 20e3 && f <= 120e3 && pw[k] > peak) {
        peak = pw[k];
        peak_k = k;
      }
    }
    double conc = 0, tone = 0;
    if (peak_k >= 0 && total > 0) {
      double around = 0;
      for (int d = -2; d <= 2; d++) around += pw[(peak_k + d + m) % m];
      conc = around / total;
      /* parabolic interpolation of the peak on log power */
      double a = log(pw[(peak_k - 1 + m) % m] + 1e-300), b = log(pw[peak_k] + 1e-300), c = log(pw[(peak_k + 1) % m] + 1e-300);
      double den = a - 2 * b + c;
      double frac = den != 0 ? 0.5 * (a - c) / den : 0;
      tone = ((peak_k < m / 2 ? peak_k : peak_k - m) + frac) * delta - o->channel_offset;
    }
    double centre = s0 + m / 2.0;
    if (conc > thr) {
      if (!in_burst) {
        in_burst = 1;
        best = 0;
        run_first = centre;
      }
      run_last = centre;
      if (conc > best) {
        best = conc;
        best_tone = tone;
        best_centre = centre;
      }
    } else if (in_burst) {
      in_burst = 0;
      printf("{\"centre_sample\":%.1f,\"peak_sample\":%.1f,\"tone_hz\":%.1f,\"concentration\":%.4f}\n", (run_first + run_last) / 2, best_centre, best_tone, best);
    }
  }
  if (in_burst) printf("{\"centre_sample\":%.1f,\"peak_sample\":%.1f,\"tone_hz\":%.1f,\"concentration\":%.4f,\"at_end\":true}\n", (run_first + run_last) / 2, best_centre, best_tone, best);
  fprintf(stderr, "channel-power --fcch: window %d, hop %d, bin %.1f Hz\n", m, hop, delta);
  return 0;
}

/* ---------------------------------------------------------------- options */

static enum format parse_format(const char *s) {
  if (!strcmp(s, "cu8")) return CU8;
  if (!strcmp(s, "cs8")) return CS8;
  if (!strcmp(s, "cs16")) return CS16;
  if (!strcmp(s, "cf32")) return CF32;
  die("unknown --format (cu8, cs8, cs16, cf32)");
  return CU8;
}

int main(int argc, char **argv) {
  struct options o;
  memset(&o, 0, sizeof o);
  o.format = CU8;
  o.window = 0;
  o.dc = 1;
  o.dc_tau = 0.01;
  o.iq = 1;
  o.iq_tau = 0.2;
  o.width = 200e3;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE \
  if (!v) die("missing value");  \
  i++;
    if (!strcmp(a, "--format")) { NEED_VALUE o.format = parse_format(v); }
    else if (!strcmp(a, "--rate")) { NEED_VALUE o.rate = atof(v); }
    else if (!strcmp(a, "--fft")) { NEED_VALUE o.fft = atoi(v); }
    else if (!strcmp(a, "--hop")) { NEED_VALUE o.hop = atoi(v); }
    else if (!strcmp(a, "--window")) {
      NEED_VALUE o.window = !strcmp(v, "hann") ? 0 : !strcmp(v, "blackman_harris") ? 1 : !strcmp(v, "rect") ? 2 : -1;
      if (o.window < 0) die("unknown --window");
    }
    else if (!strcmp(a, "--dc-tau")) { NEED_VALUE o.dc_tau = atof(v); }
    else if (!strcmp(a, "--no-dc")) o.dc = 0;
    else if (!strcmp(a, "--iq")) o.iq = 1;
    else if (!strcmp(a, "--no-iq")) o.iq = 0;
    else if (!strcmp(a, "--iq-tau")) { NEED_VALUE o.iq_tau = atof(v); }
    else if (!strcmp(a, "--width")) { NEED_VALUE o.width = atof(v); }
    else if (!strcmp(a, "--channels")) {
      NEED_VALUE
      char *copy = strdup(v), *save = NULL;
      for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (o.channels >= 1024) die("too many channels");
        o.offsets[o.channels++] = atof(t);
      }
      free(copy);
    }
    else if (!strcmp(a, "--out")) { NEED_VALUE o.out = v; }
    else if (!strcmp(a, "--bench")) { NEED_VALUE o.bench = atoi(v); }
    else if (!strcmp(a, "--fcch")) o.fcch = 1;
    else if (!strcmp(a, "--channel-offset")) { NEED_VALUE o.channel_offset = atof(v); }
    else die("unknown option");
  }
  if (o.rate <= 0) die("--rate must be > 0");
  if (o.fcch) return run_fcch(&o);
  if (o.fft < 4 || (o.fft & (o.fft - 1))) die("--fft must be a power of two >= 4");
  if (o.hop == 0) o.hop = o.fft;
  if (o.hop < 1 || o.hop > o.fft || o.fft % o.hop) die("--hop must divide --fft");
  if (o.channels == 0) die("--channels is required");
  if (!o.out && o.bench <= 0) die("--out or --bench is required");
  return run_channel_power(&o);
}
