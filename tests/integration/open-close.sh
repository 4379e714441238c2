#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 1
#
#   guest CPU 0,1                                         vsp-sim
#   vsc_echo: echo_cycle -- close/open x1000 -- relid 1 -- echo device 1
#             packets in flight at each close     |
#             echo_reader thread (vsc_vmbus_recv, outside the callback)
#   shell:    readers of channels/*/{in_ring,out_ring,state,flow} and
#             /sys/kernel/debug/vsc_vmbus/* all the while
#
# Close against every other user of a channel: the primary echo channel is
# closed and opened again 1000 times, each time with packets of every size
# in flight both ways, while a kernel thread reads the channel outside its
# callback and shell loops read the ring files in sysfs and debugfs. The
# channel then echoes a normal run, contents checked. On the debug kernel
# any KASAN, lockdep or kmemleak report fails the run (the harness, and
# vsc_kmemleak_clean here).
set -eu
. /vsc/lib.sh

n=1000
vsc_wait_echo 1
d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
chan=$(ls -d "$d"/channels/*)

stop=/tmp/open-close.stop
rm -f "$stop"
reader() {
	while [ ! -e "$stop" ]; do
		cat "$chan/in_ring" "$chan/out_ring" "$chan/state" "$chan/flow" \
			/sys/kernel/debug/vsc_vmbus/* >/dev/null 2>&1 || true
	done
}
reader &
r1=$!
reader &
r2=$!

ok=yes
echo "$n" >"$d/echo_cycle" || ok=no
touch "$stop"
wait "$r1" "$r2" || true
if [ "$ok" != yes ]; then
	echo "open-close: echo_cycle $n failed"
	dmesg | grep -E 'echo relid|vsc_vmbus' | tail -20
	exit 1
fi
dmesg | grep -E 'close/open cycles' | tail -1
grep -q "^open" "$chan/state" || { echo "open-close: channel not open after the cycles: $(cat "$chan/state")"; exit 1; }

# The channel still works.
echo 2000 >"$d/echo_run" || echo "the echo run after the cycles failed"
vsc_echo_check "$d" 2000
vsc_kmemleak_clean
echo "open-close: ok"
