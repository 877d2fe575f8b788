/*
 * simhound probe MCU firmware (ATmega328P, 16 MHz): an uplink activity meter.
 *
 * An RF log detector (AD8313 / AD8318) behind a GSM-900 uplink SAW filter (880-915 MHz) feeds ADC0.
 * The ADC free-runs (prescaler 16: 1 MHz ADC clock, 13 us per sample, ~44 samples per slot); Timer1
 * cuts time into GSM-timeslot windows of 576.92 us (15/26 ms: 13 windows = 15000 ticks of 0.5 us, laid
 * out as 11 x 1154 + 2 x 1153 ticks) and 8 windows make a 4.615 ms TDMA-frame period. The windows run
 * free: the MCU is not synchronised to any cell, so window k is not timeslot k.
 * Per window it keeps the peak and the sum of samples, and counts bursts: a rising crossing of the
 * threshold (with hysteresis), counted in the window where it starts, so a burst split across two
 * windows still counts once. Every `frames_per_report` frame periods it sends a REPORT frame.
 * Frames are COBS-encoded with a CRC-16 (protocol.h) over the UART at 250000 baud (U2X, UBRR 7:
 * exact at 16 MHz). Commands: START, STOP, SET_THRESHOLD, SET_REPORT_RATE, HELLO, GET_ERRORS, each
 * acknowledged. Bad input (COBS, CRC, overflow, unknown command) is counted and reported, never acted on.
 * It must not transmit anything on the air: it only listens through the detector.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <string.h>
#include <util/atomic.h>
#include <util/crc16.h>
#include "cobs.h"
#include "protocol.h"

#define BAUD_UBRR 7 /* 250000 baud with U2X at 16 MHz */
#define VREF_MV 5000
#define HYSTERESIS 8
#define DEFAULT_THRESHOLD 300
#define DEFAULT_FRAMES_PER_REPORT 10

typedef struct {
  uint32_t sum;
  uint16_t n;
  uint16_t peak;
  uint16_t bursts;
} slot_acc_t;

typedef struct {
  slot_acc_t slot[SLOTS];
  uint16_t frames;
} report_acc_t;

static report_acc_t acc[2];
static volatile uint8_t cur;          /* accumulator the ISRs fill */
static volatile uint8_t ready = 0xff; /* accumulator waiting to be sent, or 0xff */
static volatile uint8_t slot_index;
static volatile uint8_t slot_pattern;
static volatile uint8_t above;
static volatile uint16_t threshold = DEFAULT_THRESHOLD;
static volatile uint16_t frames_per_report = DEFAULT_FRAMES_PER_REPORT;
static uint8_t running;
static uint16_t report_seq;
static uint8_t tx_seq;

static struct {
  uint16_t rx_crc, rx_cobs, rx_overflow, tx_dropped, unknown_cmd, report_overrun;
} errors;

/* ---- UART: interrupt-driven TX ring, RX ring ---- */
#define TX_SIZE 256
static uint8_t tx_buf[TX_SIZE];
static volatile uint8_t tx_head, tx_tail; /* uint8_t wraps at 256 */
#define RX_SIZE 64
static uint8_t rx_buf[RX_SIZE];
static volatile uint8_t rx_head, rx_tail;

ISR(USART_UDRE_vect) {
  if (tx_head == tx_tail) {
    UCSR0B &= ~_BV(UDRIE0);
    return;
  }
  UDR0 = tx_buf[tx_tail++];
}

ISR(USART_RX_vect) {
  uint8_t b = UDR0;
  uint8_t next = (rx_head + 1) & (RX_SIZE - 1);
  if (next == rx_tail) {
    errors.rx_overflow++;
    return;
  }
  rx_buf[rx_head] = b;
  rx_head = next;
}

static uint8_t tx_free(void) {
  uint8_t used;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { used = (uint8_t)(tx_head - tx_tail); }
  return (uint8_t)(TX_SIZE - 1 - used);
}

/* Queue one frame (type, payload) as COBS + 0x00; dropped and counted if the TX ring has no room. */
static void send_frame(uint8_t type, const uint8_t *payload, uint8_t len) {
  uint8_t raw[MAX_FRAME];
  uint8_t enc[MAX_FRAME + 2];
  raw[0] = type;
  raw[1] = tx_seq;
  memcpy(raw + 2, payload, len);
  uint16_t crc = 0xffff;
  for (uint8_t i = 0; i < len + 2; i++) crc = _crc_xmodem_update(crc, raw[i]);
  raw[len + 2] = crc >> 8;
  raw[len + 3] = crc & 0xff;
  uint8_t n = cobs_encode(raw, len + 4, enc);
  if (tx_free() < n + 1) {
    errors.tx_dropped++;
    return;
  }
  tx_seq++;
  for (uint8_t i = 0; i < n; i++) tx_buf[tx_head++] = enc[i];
  tx_buf[tx_head++] = 0;
  UCSR0B |= _BV(UDRIE0);
}

static void put16(uint8_t *p, uint16_t v) {
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

/* ---- sampling ---- */
ISR(ADC_vect) {
  uint16_t s = ADC;
  slot_acc_t *a = &acc[cur].slot[slot_index];
  a->sum += s;
  a->n++;
  if (s > a->peak) a->peak = s;
  if (!above) {
    if (s >= threshold) {
      above = 1;
      a->bursts++;
    }
  } else if (s + HYSTERESIS < threshold) {
    above = 0;
  }
}

ISR(TIMER1_COMPA_vect) {
  /* 13 windows = 15000 ticks: 11 of 1154 ticks, then 2 of 1153 (OCR1A = ticks - 1). */
  slot_pattern = (slot_pattern == 12) ? 0 : slot_pattern + 1;
  OCR1A = slot_pattern < 11 ? 1153 : 1152;
  if (++slot_index < SLOTS) return;
  slot_index = 0;
  if (++acc[cur].frames < frames_per_report) return;
  if (ready != 0xff) {
    /* the main loop has not sent the last report yet: keep accumulating into this one */
    errors.report_overrun++;
    return;
  }
  ready = cur;
  cur ^= 1;
  memset(&acc[cur], 0, sizeof acc[cur]);
}

static void sampling_start(void) {
  cli();
  memset(acc, 0, sizeof acc);
  cur = 0;
  ready = 0xff;
  slot_index = 0;
  slot_pattern = 0;
  above = 0;
  /* Timer1: CTC on OCR1A, prescaler 8 (0.5 us ticks). */
  TCCR1A = 0;
  TCNT1 = 0;
  OCR1A = 1153;
  TIFR1 = _BV(OCF1A);
  TIMSK1 = _BV(OCIE1A);
  TCCR1B = _BV(WGM12) | _BV(CS11);
  /* ADC0, AVcc reference, free running, prescaler 16, interrupt per conversion. */
  ADMUX = _BV(REFS0);
  ADCSRB = 0;
  ADCSRA = _BV(ADEN) | _BV(ADATE) | _BV(ADIE) | _BV(ADPS2) | _BV(ADSC);
  running = 1;
  sei();
}

static void sampling_stop(void) {
  cli();
  ADCSRA = 0;
  TCCR1B = 0;
  TIMSK1 = 0;
  ready = 0xff;
  running = 0;
  sei();
}

static void send_hello(void) {
  uint8_t p[12];
  p[0] = PROTO_VERSION;
  p[1] = FW_VERSION_MAJOR;
  p[2] = FW_VERSION_MINOR;
  p[3] = FW_VERSION_PATCH;
  p[4] = 10;
  put16(p + 5, VREF_MV);
  put16(p + 7, threshold);
  put16(p + 9, frames_per_report);
  p[11] = running;
  uint8_t q[13];
  memcpy(q, p, 12);
  q[12] = SLOTS;
  send_frame(FRAME_HELLO, q, 13);
}

static void send_errors(void) {
  uint8_t p[12];
  put16(p + 0, errors.rx_crc);
  put16(p + 2, errors.rx_cobs);
  put16(p + 4, errors.rx_overflow);
  put16(p + 6, errors.tx_dropped);
  put16(p + 8, errors.unknown_cmd);
  put16(p + 10, errors.report_overrun);
  send_frame(FRAME_ERRORS, p, 12);
}

static void send_ack(uint8_t type, uint8_t seq, uint8_t status) {
  uint8_t p[3] = {type, seq, status};
  send_frame(FRAME_ACK, p, 3);
}

static void send_report(const report_acc_t *r) {
  uint8_t p[4 + SLOTS * 6];
  put16(p, report_seq++);
  put16(p + 2, r->frames);
  for (uint8_t i = 0; i < SLOTS; i++) {
    const slot_acc_t *s = &r->slot[i];
    uint16_t mean_x16 = s->n ? (uint16_t)((s->sum * 16 + s->n / 2) / s->n) : 0;
    put16(p + 4 + i * 6, s->bursts);
    put16(p + 6 + i * 6, s->peak);
    put16(p + 8 + i * 6, mean_x16);
  }
  send_frame(FRAME_REPORT, p, sizeof p);
}

static void handle_command(const uint8_t *f, uint8_t len) {
  uint8_t type = f[0], seq = f[1];
  const uint8_t *arg = f + 2;
  uint8_t arglen = len - 2;
  switch (type) {
    case CMD_START:
      sampling_start();
      send_ack(type, seq, ACK_OK);
      break;
    case CMD_STOP:
      sampling_stop();
      send_ack(type, seq, ACK_OK);
      break;
    case CMD_SET_THRESHOLD: {
      uint16_t v = arglen == 2 ? (uint16_t)(arg[0] | (arg[1] << 8)) : 0;
      if (v < 1 || v > 1023) {
        send_ack(type, seq, ACK_BAD_ARGUMENT);
        break;
      }
      ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { threshold = v; }
      send_ack(type, seq, ACK_OK);
      break;
    }
    case CMD_SET_REPORT_RATE: {
      uint16_t v = arglen == 2 ? (uint16_t)(arg[0] | (arg[1] << 8)) : 0;
      if (v < 1 || v > 1000) {
        send_ack(type, seq, ACK_BAD_ARGUMENT);
        break;
      }
      ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { frames_per_report = v; }
      send_ack(type, seq, ACK_OK);
      break;
    }
    case CMD_HELLO:
      send_ack(type, seq, ACK_OK);
      send_hello();
      break;
    case CMD_GET_ERRORS:
      send_ack(type, seq, ACK_OK);
      send_errors();
      break;
    default:
      errors.unknown_cmd++;
      send_ack(type, seq, ACK_UNKNOWN_COMMAND);
  }
}

/* Collects bytes up to a 0x00, then COBS-decodes and checks the CRC. */
static uint8_t frame_buf[MAX_FRAME + 2];
static uint8_t frame_len;
static uint8_t frame_overflowed;

static void on_rx_byte(uint8_t b) {
  if (b != 0) {
    if (frame_len < sizeof frame_buf) frame_buf[frame_len++] = b;
    else frame_overflowed = 1;
    return;
  }
  uint8_t len = frame_len, overflowed = frame_overflowed;
  frame_len = 0;
  frame_overflowed = 0;
  if (len == 0) return;
  if (overflowed) {
    errors.rx_cobs++;
    return;
  }
  uint8_t raw[MAX_FRAME];
  int16_t n = cobs_decode(frame_buf, len, raw, sizeof raw);
  if (n < 4) {
    errors.rx_cobs++;
    return;
  }
  uint16_t crc = 0xffff;
  for (int16_t i = 0; i < n - 2; i++) crc = _crc_xmodem_update(crc, raw[i]);
  if (crc != (uint16_t)((raw[n - 2] << 8) | raw[n - 1])) {
    errors.rx_crc++;
    return;
  }
  handle_command(raw, (uint8_t)(n - 2));
}

int main(void) {
  UCSR0A = _BV(U2X0);
  UBRR0H = 0;
  UBRR0L = BAUD_UBRR;
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00); /* 8N1 */
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
  DIDR0 = _BV(ADC0D);
  sei();
  /* A delimiter first: if the reset cut a frame short, the host drops that fragment here instead of
     gluing it to the HELLO. */
  tx_buf[tx_head++] = 0;
  UCSR0B |= _BV(UDRIE0);
  send_hello();
  for (;;) {
    while (rx_tail != rx_head) {
      uint8_t b = rx_buf[rx_tail];
      rx_tail = (rx_tail + 1) & (RX_SIZE - 1);
      on_rx_byte(b);
    }
    uint8_t r = ready;
    if (r != 0xff) {
      send_report(&acc[r]);
      ready = 0xff;
    }
  }
}
