#!/bin/sh
# The firmware-bridge package build step for the firmware: runs make when the AVR toolchain is
# installed (scripts/install-system-packages.sh installs it; CI always has it), and says so plainly
# when it is not, so `npm install && npm start` still works on a machine without it. The probe tests
# build the firmware themselves and fail loudly when the toolchain is missing.
set -e
cd "$(dirname "$0")"
if command -v avr-gcc >/dev/null 2>&1 && [ -f /usr/include/simavr/sim_avr.h ]; then
  exec make
fi
echo "firmware-bridge: avr-gcc or libsimavr-dev not installed: probe firmware not built (bash scripts/install-system-packages.sh)" >&2
