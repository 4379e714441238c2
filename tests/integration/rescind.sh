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

dev=/sys/bus/vsc_vmbus/devices/76737073-696d-6465-8000-000000000001
wait_dev() {
	for _ in $(seq 600); do
		[ -e "$dev/echo_run" ] && return 0
		sleep 0.05
	done
	echo "echo device 1 did not come back after $gone rescinds"
	return 1
}

gone=0
while [ $gone -lt 100 ]; do
	wait_dev
	start=$(cut -d. -f1 /proc/uptime)
	# Long enough that only the rescind ends it.
	if echo 1000000 >"$dev/echo_run" 2>/dev/null; then
		echo "an echo run outlived its rescind"
		exit 1
	fi
	took=$(($(cut -d. -f1 /proc/uptime) - start))
	[ "$took" -lt 10 ] || { echo "rescind took ${took}s to end the run"; exit 1; }
	gone=$((gone + 1))
done
wait_dev
echo 2000 >"$dev/echo_run"
cat "$dev/echo_result"
grep -q '^ok 2000 bad 0 unknown 0 status 0$' "$dev/echo_result"
# Each interrupted run ended on the rescind (ENODEV), none on a time-out.
ended=$(dmesg | grep -c 'echo: 1000000 packets.*: -19$' || true)
echo "runs ended by a rescind: $ended"
[ "$ended" -ge 95 ] || { dmesg | grep 'echo: 1000000' | tail; exit 1; }
! dmesg | grep -q 'echo: 1000000 packets.*: -110$'
[ "$(ls /sys/bus/vsc_vmbus/devices | wc -l)" = 1 ]
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	[ -z "$leaks" ] || { echo "$leaks"; exit 1; }
fi
echo "rescind: ok"
