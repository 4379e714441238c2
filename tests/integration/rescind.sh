#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 1 --host tests/integration/rescind.host
#
#   guest: echo traffic on device 1, always    vsp-sim (rescind.host):
#                                              rescind device 1 under it,
#                                              offer it again; bursts of
#                                              offer + rescind at once
#
# Rescind with the driver bound and packets in flight, 100 times: each
# interrupted run fails with ENODEV at once (no time-out), the device goes
# and comes back under the same name, and works; the rapid offer/rescind
# bursts leave nothing behind; kmemleak is clean.
set -eu
. /vsc/lib.sh

dev=/sys/bus/vsc_vmbus/devices/76737073-696d-6465-8000-000000000001
done_dev=/sys/bus/vsc_vmbus/devices/76737073-696d-6465-8000-0000000f423f
n=20000
vsc_debug_kernel && n=5000

# Echo in chunks on device 1 whenever it is there, until the host is done.
runs=0 cut=0
while [ ! -e "$done_dev" ]; do
	if [ ! -e "$dev/echo_run" ]; then
		sleep 0.05
		continue
	fi
	start=$(cut -d. -f1 /proc/uptime)
	if echo "$n" >"$dev/echo_run" 2>/dev/null; then
		runs=$((runs + 1))
		continue
	fi
	took=$(($(cut -d. -f1 /proc/uptime) - start))
	[ "$took" -lt 10 ] || { echo "rescind took ${took}s to end a run"; exit 1; }
	cut=$((cut + 1))
done
echo "echo runs: $runs whole, $cut cut short"
echo 2000 >"$dev/echo_run"
cat "$dev/echo_result"
vsc_echo_check "$dev" 2000
# Every rescind hit a run in flight (ENODEV), none ended on a time-out.
ended=$(dmesg | grep -c "echo relid [0-9]*: $n packets.*: -19\$" || true)
echo "runs ended by a rescind: $ended"
[ "$ended" = 100 ] || { dmesg | grep "relid [0-9]*: $n" | tail; exit 1; }
# A run that failed did so with ENODEV, never another error.
other=$(dmesg | grep -E "echo relid [0-9]+: [0-9]+ packets.*: -[0-9]+\$" |
	grep -v ': -19$' || true)
[ -z "$other" ] || { echo "runs failed with other errors:"; echo "$other"; exit 1; }
left=$(ls /sys/bus/vsc_vmbus/devices | wc -l)
[ "$left" = 2 ] || { echo "want 2 devices at the end, have $left"; exit 1; }
vsc_kmemleak_clean
echo "rescind: ok"
