#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.12
# vm: --smp 1 --sim --echo --sim 2
#
#   guest CPU 0                            vsp-sim
#   vsc_echo (relid 1) -- channel, CPU 0 -- echo device 1 (worker thread)
#   vsc_echo (relid 2) -- channel, CPU 0 -- echo device 2 (worker thread)
#
# VMBus end to end on one vCPU: negotiation, offers autoload vsc_echo by
# alias, and each channel echoes 100,000 packets of mixed
# sizes (some larger than half the ring), contents checked both ways
# (20,000 on the debug kernel).
set -eu
. /vsc/lib.sh

# The debug kernel (KASAN, lockdep, kmemleak) under TCG is several times
# slower: it checks 20,000 packets a channel, the stock kernels 100,000.
n=100000
vsc_debug_kernel && n=20000

vsc_wait_echo 2
devs=$(ls -d /sys/bus/vsc_vmbus/devices/*)
[ "$(echo "$devs" | wc -l)" = 2 ] || { echo "want 2 echo devices: $devs"; exit 1; }
cpus=
for d in $devs; do
	grep -qx '{7673632d-6563-686f-8001-000000000001}' "$d/class_id"
	grep -q "^vsc_vmbus:7673632d-6563-686f-8001-000000000001$" "$d/modalias"
	cpus="$cpus $(cat "$d"/channels/*/cpu)"
done

vsc_echo_run_all "$n"
echo "echo: ok"
