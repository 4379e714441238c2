#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 1 --host tests/integration/stall.host
# stats: ^vmbus_send_wakeups [1-9][0-9]*$
#
#   guest: vsc_echo on echo device 1          vsp-sim (stall.host):
#          echo runs of 1000 packets, one     once traffic flows, stops
#          after the other, until the sign    draining device 1's channel
#          and one more                       for 5 s, then offers
#                                             instance 999999 (the sign)
#
# Flow control by the host's signal: a host that stops draining for 5 s
# fills the outbound ring; the writer sets pending_send_sz and sleeps on
# it (vsc_vmbus_send_wait()), the host's signal once it drains wakes it,
# and every packet comes back, checked. The channel's flow file shows the
# waits and the wake-ups; vsp-sim counts the wake-up signals. The writer
# never sleeps and retries: a wait with no wake-up would time out (10 s)
# and fail the run.
set -eu
. /vsc/lib.sh

vsc_wait_echo 1
d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
runs=0
last=no
while [ "$last" = no ]; do
	# The sign came: the stall began before it; one more run after it.
	[ "$(vsc_echo_bound)" = 2 ] && last=yes
	echo 1000 >"$d/echo_run" || echo "echo run $runs failed"
	vsc_echo_check "$d" 1000
	runs=$((runs + 1))
	[ "$runs" -le 300 ] || { echo "stall: the host never gave its sign"; exit 1; }
done
flow=$(cat "$d"/channels/*/flow)
echo "$flow"
echo "stall: $runs runs of 1000 packets, all back"
waits=$(echo "$flow" | awk '$1 == "send_waits" { print $2 }')
wakeups=$(echo "$flow" | awk '$1 == "send_wakeups" { print $2 }')
[ "$waits" -ge 1 ] || { echo "stall: the writer never waited for room"; exit 1; }
[ "$wakeups" -ge 1 ] || { echo "stall: no waiting writer was woken by the host's signal"; exit 1; }
echo "stall: ok"
