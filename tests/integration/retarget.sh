#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 2
#
#   guest: echo traffic on two channels       vsp-sim: interrupts the VP
#          + channels moved between CPUs               each MODIFYCHANNEL
#            through their "cpu" files                 names, and answers
#          + CPU 1 taken offline and back              it (VMBus 5.3)
#
# Channels move between CPUs under traffic, 40 times each; CPU 1 goes
# offline and back 5 times under traffic, its channels moved to CPU 0
# first; every echo checked, none lost.
set -eu
. /vsc/lib.sh

vsc_wait_echo 2
chans=$(ls -d /sys/bus/vsc_vmbus/devices/*/channels/*)
[ "$(echo "$chans" | wc -l)" = 2 ] || { echo "want 2 channels: $chans"; exit 1; }

# Traffic on both channels, in checked runs of 2000, until told to stop.
pids=
for d in /sys/bus/vsc_vmbus/devices/*; do
	(
		runs=0
		while [ ! -e /tmp/stop ]; do
			echo 2000 >"$d/echo_run" || { cat "$d/echo_result"; exit 1; }
			vsc_echo_check "$d" 2000
			runs=$((runs + 1))
		done
		echo "$d: $runs runs of 2000"
	) &
	pids="$pids $!"
done
sleep 1

moves=0
for _ in $(seq 40); do
	for c in $chans; do
		to=$(( ($(cat "$c/cpu") + 1) % 2 ))
		echo "$to" >"$c/cpu"
		[ "$(cat "$c/cpu")" = "$to" ] || { echo "$c: cpu $(cat "$c/cpu"), want $to"; exit 1; }
		moves=$((moves + 1))
	done
	sleep 0.05
done
echo "moves: $moves"

# A CPU that is not online is refused.
if echo 7 >"$(echo "$chans" | head -n1)/cpu" 2>/dev/null; then
	echo "moved a channel to CPU 7 of 2"
	exit 1
fi

for _ in $(seq 5); do
	for c in $chans; do
		echo 1 >"$c/cpu"
	done
	echo 0 >/sys/devices/system/cpu/cpu1/online
	for c in $chans; do
		[ "$(cat "$c/cpu")" = 0 ] || { echo "$c still on CPU $(cat "$c/cpu") with CPU 1 offline"; exit 1; }
	done
	sleep 0.5
	echo 1 >/sys/devices/system/cpu/cpu1/online
	sleep 0.2
done
echo "CPU 1 offline and back: 5 times"
# All of it happened under traffic.
for p in $pids; do
	kill -0 "$p" 2>/dev/null || { echo "an echo loop ended before the moves did"; exit 1; }
done
touch /tmp/stop
for p in $pids; do
	wait "$p" || { echo "an echo loop failed"; exit 1; }
done
echo "retarget: ok"
