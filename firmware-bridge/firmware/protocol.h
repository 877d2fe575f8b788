/*
 * Probe MCU <-> host wire protocol (version 1). Every frame is
 *   COBS( type:u8 | seq:u8 | payload | crc16:u16 big-endian ) 0x00
 * with CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over type, seq and payload. Multi-byte payload
 * fields are little-endian. The host mirror is firmware-bridge/src/protocol/frames.ts; the tests run
 * this firmware in simavr against it, so the two cannot drift apart unnoticed.
 */
#ifndef PROBE_PROTOCOL_H
#define PROBE_PROTOCOL_H

#define PROTO_VERSION 1
#define FW_VERSION_MAJOR 1
#define FW_VERSION_MINOR 0
#define FW_VERSION_PATCH 0

/* device -> host */
#define FRAME_HELLO 0x01  /* proto, fw major/minor/patch, adc_bits, vref_mv:u16, threshold:u16, frames_per_report:u16, running:u8, slot_count:u8 */
#define FRAME_REPORT 0x02 /* report_seq:u16, frame_count:u16, then SLOTS x { bursts:u16, peak:u16, mean_x16:u16 } */
#define FRAME_ACK 0x03    /* cmd_type:u8, cmd_seq:u8, status:u8 */
#define FRAME_ERRORS 0x04 /* rx_crc:u16, rx_cobs:u16, rx_overflow:u16, tx_dropped:u16, unknown_cmd:u16, report_overrun:u16 */

/* host -> device */
#define CMD_START 0x10
#define CMD_STOP 0x11
#define CMD_SET_THRESHOLD 0x12   /* threshold:u16 (ADC counts, 1..1023) */
#define CMD_SET_REPORT_RATE 0x13 /* frames_per_report:u16 (1..1000) */
#define CMD_HELLO 0x14
#define CMD_GET_ERRORS 0x15

#define ACK_OK 0
#define ACK_BAD_ARGUMENT 1
#define ACK_UNKNOWN_COMMAND 2

#define SLOTS 8
#define MAX_FRAME 64 /* largest unencoded frame: report = 2 + 4 + 48 + 2 = 56 */

#endif
