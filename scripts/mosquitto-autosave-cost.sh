#!/bin/bash
# What mosquitto's autosave mode costs with a growing queue (docs/mosquitto.md, "What saving on every change costs").
# usage: scripts/mosquitto-autosave-cost.sh <changes|timed> <messages>   (needs mosquitto, mosquitto_pub, mosquitto_sub; runs as root: user root)
# A persistent subscriber (clean session off) subscribes once and goes away, so every message is queued for it;
# one QoS 1 publisher then sends <messages> 800-byte messages as fast as mosquitto acknowledges them.
mode=$1; n=$2; port=$((20000 + RANDOM % 20000)); d=$(mktemp -d); rm -rf $d; mkdir -p $d/data
if [ $mode = changes ]; then as="autosave_on_changes true
autosave_interval 1"; else as="autosave_on_changes false
autosave_interval 30"; fi
cat > $d/m.conf <<C
user root
listener $port 127.0.0.1
allow_anonymous true
max_inflight_messages 1000
max_queued_messages 1000000
max_queued_bytes 1073741824
persistence true
persistence_location $d/data/
$as
log_dest none
C
mosquitto -c $d/m.conf & mp=$!
sleep 0.5
mosquitto_sub -p $port -c -i coll -q 1 -t 't/#' -E
python3 -c "
import sys
p='x'*800
for i in range($n): print(p)
" > $d/in.txt
s=$(date +%s.%N)
mosquitto_pub -p $port -q 1 -t t/a -l < $d/in.txt
e=$(date +%s.%N)
echo "$mode n=$n: $(python3 -c "print(f'{$e-$s:.1f} s, {$n/($e-$s):.0f} msg/s')") db=$(du -k $d/data/mosquitto.db | cut -f1) KiB"
kill $mp; wait $mp 2>/dev/null
rm -rf "$d"
