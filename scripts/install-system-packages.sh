#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages simhound's tests and tools use (run with sudo, or as root):
#   mosquitto + mosquitto-clients  real MQTT broker for the end-to-end tests
#   influxdb                        real InfluxDB server for the time-series tests (Debian ships 1.6.7)
#   tshark                          the independent GSM decoder the decoders are checked against
#   chromium                        the browser the web-map test drives (through playwright-core)
#   python3 make g++                node-gyp, to build better-sqlite3
#   openssl                         `simhound keys ca` / `keys server-cert` issue the broker's TLS certificates with it
#   gcc-avr avr-libc                the probe MCU firmware (firmware-bridge/firmware)
#   simavr libsimavr-dev libelf-dev the AVR emulator the firmware tests run it in, and its C library
#   socat                           pty pairs for the emulated modem in the serial tests
#   udev                            serialport's port listing (/dev/serial/by-id)
#   gcc libfftw3-dev pkg-config     the C/FFTW3 reference the SDR channelizer is checked and benchmarked against
# The demo (`npm install && npm start`) needs none of these.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo 'wireshark-common wireshark-common/install-setuid boolean false' | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  ca-certificates openssl python3 make g++ \
  gcc libfftw3-dev pkg-config \
  mosquitto mosquitto-clients \
  influxdb \
  tshark \
  chromium \
  gcc-avr avr-libc simavr libsimavr-dev libelf-dev \
  socat udev
for bin in mosquitto mosquitto_passwd influxd tshark editcap chromium openssl avr-gcc simavr socat gcc pkg-config; do
  command -v "$bin" >/dev/null || { echo "missing $bin after install" >&2; exit 1; }
done
pkg-config --exists fftw3 || { echo "missing fftw3 (libfftw3-dev) after install" >&2; exit 1; }
