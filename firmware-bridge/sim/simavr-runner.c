/*
 * simavr-runner: runs the real probe firmware (an AVR ELF) in simavr for tests, and
 *  - bridges the emulated USART0 to a new pseudo-terminal, symlinked at <pty-link> (unique per test);
 *  - feeds ADC0 from a trace of GSM uplink bursts, sampled at the simulated time of each conversion;
 *  - paces simulated time to wall-clock time (so host timeouts mean what they say), unless --fast;
 *  - on SIGUSR1 resets the MCU (a firmware restart mid-stream);
 *  - on SIGUSR2 corrupts the next 16 bytes the MCU sends (bit flips on the line);
 *  - exits cleanly on SIGTERM/SIGINT, removing the symlink.
 * Usage: simavr-runner [--fast] <firmware.elf> <pty-link> <trace-file>
 * Trace file lines (times in GSM units: frame = 4615.385 us, slot = 576.923 us):
 *   floor_mv <mV>                 detector output with no burst
 *   noise_mv <mV>                 uniform noise amplitude (+/-), deterministic per seed
 *   seed <n>
 *   burst <slot> <first_frame> <last_frame> <mV>   a 542.8 us burst in that slot of each frame
 * Prints "READY <pty-link>" on stdout once the pty exists, and "RESET", "CORRUPT" as it obeys signals.
 * Test tool only: never part of a probe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <avr_adc.h>
#include <avr_uart.h>
#include <sim_avr.h>
#include <sim_elf.h>
#include <sim_irq.h>

#define FRAME_US (60000.0 / 13.0)
#define SLOT_US (FRAME_US / 8.0)
#define BURST_US 542.8
#define BURST_OFFSET_US 17.0
#define MAX_BURSTS 256

typedef struct { int slot; long first, last; int mv; } burst_t;

static burst_t bursts[MAX_BURSTS];
static int nbursts;
static int floor_mv = 500, noise_mv = 0;
static uint32_t seed = 1;
static avr_t *avr;
static int master = -1;
static volatile sig_atomic_t want_reset, want_corrupt, want_exit;
static int corrupt_left;
static int uart_xon = 1;
static uint8_t out_buf[65536];
static size_t out_len;

static uint32_t hash32(uint32_t x) {
  x ^= seed * 0x9e3779b9u;
  x ^= x >> 16; x *= 0x7feb352du; x ^= x >> 15; x *= 0x846ca68bu; x ^= x >> 16;
  return x;
}

/* Detector output in mV at simulated time t_us. */
static int trace_mv(double t_us) {
  long frame = (long)(t_us / FRAME_US);
  double in_frame = t_us - frame * FRAME_US;
  int slot = (int)(in_frame / SLOT_US);
  double in_slot = in_frame - slot * SLOT_US;
  int mv = floor_mv;
  for (int i = 0; i < nbursts; i++) {
    burst_t *b = &bursts[i];
    if (b->slot == slot && frame >= b->first && frame <= b->last && in_slot >= BURST_OFFSET_US && in_slot < BURST_OFFSET_US + BURST_US && b->mv > mv) mv = b->mv;
  }
  if (noise_mv > 0) mv += (int)(hash32((uint32_t)(t_us * 4.0)) % (uint32_t)(2 * noise_mv + 1)) - noise_mv;
  if (mv < 0) mv = 0;
  return mv;
}

static void on_adc_trigger(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)value; (void)param;
  double t_us = (double)avr->cycle * 1e6 / (double)avr->frequency;
  avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0), (uint32_t)trace_mv(t_us));
}

static void on_uart_out(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)param;
  uint8_t b = (uint8_t)value;
  if (corrupt_left > 0) {
    b ^= (uint8_t)(0x5a ^ corrupt_left);
    corrupt_left--;
  }
  if (out_len < sizeof out_buf) out_buf[out_len++] = b;
}

static void on_xon(struct avr_irq_t *irq, uint32_t value, void *param) { (void)irq; (void)value; (void)param; uart_xon = 1; }
static void on_xoff(struct avr_irq_t *irq, uint32_t value, void *param) { (void)irq; (void)value; (void)param; uart_xon = 0; }

static void on_signal(int sig) {
  if (sig == SIGUSR1) want_reset = 1;
  else if (sig == SIGUSR2) want_corrupt = 1;
  else want_exit = 1;
}

static int load_trace(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); return -1; }
  char line[256];
  while (fgets(line, sizeof line, f)) {
    int a, d; long b, c;
    if (sscanf(line, "floor_mv %d", &a) == 1) floor_mv = a;
    else if (sscanf(line, "noise_mv %d", &a) == 1) noise_mv = a;
    else if (sscanf(line, "seed %d", &a) == 1) seed = (uint32_t)a;
    else if (sscanf(line, "burst %d %ld %ld %d", &a, &b, &c, &d) == 4) {
      if (nbursts == MAX_BURSTS || a < 0 || a > 7) { fprintf(stderr, "bad burst line: %s", line); fclose(f); return -1; }
      bursts[nbursts++] = (burst_t){a, b, c, d};
    }
  }
  fclose(f);
  return 0;
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
  int fast = 0, a = 1;
  if (argc > 1 && strcmp(argv[1], "--fast") == 0) { fast = 1; a = 2; }
  if (argc - a != 3) { fprintf(stderr, "usage: %s [--fast] <firmware.elf> <pty-link> <trace-file>\n", argv[0]); return 2; }
  const char *elf = argv[a], *link_path = argv[a + 1], *trace = argv[a + 2];
  if (load_trace(trace) != 0) return 2;

  elf_firmware_t fw;
  memset(&fw, 0, sizeof fw);
  if (elf_read_firmware(elf, &fw) != 0) { fprintf(stderr, "cannot read %s\n", elf); return 2; }
  avr = avr_make_mcu_by_name("atmega328p");
  if (!avr) { fprintf(stderr, "no atmega328p core\n"); return 2; }
  avr_init(avr);
  avr_load_firmware(avr, &fw);
  avr->frequency = 16000000;
  avr->vcc = avr->avcc = avr->aref = 5000;
  avr->log = 0;

  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), on_uart_out, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), on_xon, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), on_xoff, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_OUT_TRIGGER), on_adc_trigger, NULL);

  int slave;
  char name[256];
  struct termios tio;
  memset(&tio, 0, sizeof tio);
  cfmakeraw(&tio);
  if (openpty(&master, &slave, name, &tio, NULL) != 0) { perror("openpty"); return 2; }
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  unlink(link_path);
  if (symlink(name, link_path) != 0) { perror("symlink"); return 2; }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  printf("READY %s\n", link_path);
  fflush(stdout);

  double wall0 = now_us();
  avr_cycle_count_t cycle0 = avr->cycle;
  uint8_t in[256];
  size_t in_len = 0, in_pos = 0;
  int state = cpu_Running;
  while (!want_exit && state != cpu_Done && state != cpu_Crashed) {
    for (int i = 0; i < 2000 && state != cpu_Done && state != cpu_Crashed; i++) state = avr_run(avr);
    if (want_reset) {
      want_reset = 0;
      avr_reset(avr);
      /* re-base the pacing clock: simavr may or may not restart its cycle count on reset */
      cycle0 = avr->cycle;
      wall0 = now_us();
      printf("RESET\n");
      fflush(stdout);
    }
    if (want_corrupt) {
      want_corrupt = 0;
      corrupt_left = 16;
      printf("CORRUPT\n");
      fflush(stdout);
    }
    if (out_len > 0) {
      ssize_t w = write(master, out_buf, out_len);
      if (w > 0) { memmove(out_buf, out_buf + w, out_len - (size_t)w); out_len -= (size_t)w; }
    }
    if (in_pos == in_len) {
      ssize_t r = read(master, in, sizeof in);
      in_len = r > 0 ? (size_t)r : 0;
      in_pos = 0;
    }
    while (in_pos < in_len && uart_xon) avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT), in[in_pos++]);
    if (!fast) {
      double sim_us = (double)(avr->cycle - cycle0) * 1e6 / avr->frequency;
      double ahead = sim_us - (now_us() - wall0);
      if (ahead > 2000) usleep((useconds_t)ahead);
    }
  }
  unlink(link_path);
  close(master);
  close(slave);
  return state == cpu_Crashed ? 1 : 0;
}
