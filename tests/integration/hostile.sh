#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.12
# vm: --smp 2 --sim --echo --sim 2 --sim --hostile=all
#
#   guest                                  vsp-sim --hostile=all
#   vsc_vmbus  <-- control messages ------ lies after ALLOFFERS_DELIVERED:
#                                          truncated, unknown types, bad and
#                                          unknown relids, unasked GPADL, open
#                                          and version answers, offer storm
#   vsc_echo (relid 1) -- channel ------- ring lies, one class per open
#   vsc_echo (relid 2) -- channel ------- honest echo, under traffic
#
# A host that lies: the guest survives every malformed class with no
# kernel report (vsc-vm fails the run on one), marks only the attacked
# channel broken (sysfs says why; its echo run fails at once with an error,
# not a time-out), keeps echoing on the other channel, and logs each kind
# of lie at a bounded (rate-limited) rate.
set -eu
. /vsc/lib.sh

classes="ring-len ring-offset ring-windex ring-walign ring-type ring-tid ring-rindex"
drv=/sys/bus/vsc_vmbus/drivers/vsc_echo

vsc_wait_echo 2
bad=$(ls -d /sys/bus/vsc_vmbus/devices/*/channels/1 | sed 's|/channels/1$||')
good=$(ls -d /sys/bus/vsc_vmbus/devices/*/channels/2 | sed 's|/channels/2$||')
[ -d "$bad" ] && [ -d "$good" ] || { echo "no relid 1 or 2"; exit 1; }
id=$(basename "$bad")

# The offer storm: null-class devices offered and rescinded at once; every
# one must be gone (released) once the storm has passed.
for _ in $(seq 100); do
	[ "$(ls /sys/bus/vsc_vmbus/devices | wc -l)" = 2 ] && break
	sleep 0.2
done
ls /sys/bus/vsc_vmbus/devices
[ "$(ls /sys/bus/vsc_vmbus/devices | wc -l)" = 2 ] ||
	{ echo "offer storm left devices behind"; exit 1; }

# The honest channel works all along, under the attacks on the other:
# runs of 1000 until the attacks are over, each checked.
stop=/tmp/hostile.stop
(
	n=0
	while [ ! -e "$stop" ] || [ "$n" -lt 2 ]; do
		echo 1000 >"$good/echo_run" || { cat "$good/echo_result"; exit 1; }
		grep -q '^ok 1000 bad 0 unknown 0 status 0$' "$good/echo_result" ||
			{ cat "$good/echo_result"; exit 1; }
		n=$((n + 1))
	done
	echo "honest channel: $n runs of 1000 echoes passed"
) &
goodpid=$!

# One ring lie per open of relid 1: each must break that channel only.
for cls in $classes; do
	[ "$(cat "$bad/channels/1/state")" = open ] ||
		{ echo "$cls: relid 1 not open"; exit 1; }
	t0=$(date +%s)
	if echo 200 >"$bad/echo_run" 2>/dev/null; then
		echo "$cls: echo on the attacked channel passed"
		exit 1
	fi
	t=$(($(date +%s) - t0))
	cat "$bad/echo_result"
	[ "$t" -lt 20 ] || { echo "$cls: the failure took ${t}s"; exit 1; }
	grep -q 'status -5$' "$bad/echo_result" ||
		{ echo "$cls: want status -EIO (-5)"; exit 1; }
	why=$(cat "$bad/channels/1/in_ring" "$bad/channels/1/out_ring" |
		sed -n 's/^broken //p' | grep -v '^no$' | head -n 1)
	[ -n "$why" ] || { echo "$cls: relid 1 not marked broken"; exit 1; }
	echo "$cls: relid 1 broken: $why"
	grep -q '^broken no$' "$good/channels/2/in_ring" ||
		{ echo "$cls: relid 2 marked broken too"; exit 1; }
	grep -q '^broken no$' "$good/channels/2/out_ring" ||
		{ echo "$cls: relid 2 marked broken too"; exit 1; }
	# Close and open again: the host lies another way on the next open.
	echo "$id" >"$drv/unbind"
	echo "$id" >"$drv/bind"
done

touch "$stop"
wait "$goodpid" || { echo "honest channel failed"; exit 1; }

# Every kind of lie was noticed, and logged at a bounded rate.
for pat in 'ignoring host message' 'never asked for' 'not asked for' \
	'rescind of unknown relid' 'second offer for relid' \
	'event for unknown relid' 'inbound ring broken' 'channel broken'; do
	n=$(dmesg | grep -c "$pat" || true)
	echo "dmesg '$pat': $n"
	[ "$n" -ge 1 ] || { echo "no '$pat' in dmesg"; exit 1; }
done
n=$(dmesg | grep -c 'vsc_' || true)
echo "dmesg lines from the suite: $n"
[ "$n" -lt 400 ] || { echo "unbounded logging: $n lines"; exit 1; }
echo "hostile: ok"
