#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 1
#
#   guest CPU 0,1                                   vsp-sim
#   vsc_echo probe_subchannels=3
#     probe: opens the primary (relid 1) ---------- echo device 1
#            CTRL SUBCHANNELS 3, then waits, device lock held,
#            until sub-channels 1..3 are offered <- offers (late: nasty)
#            registers its callbacks: the bus hands the three over,
#            the driver opens them
#
# Sub-channels without the device lock: a probe that asks for
# sub-channels and waits for their offers does not deadlock (the bus
# delivers offers under a sub-channel lock of its own), and offers made
# before the driver registered its callbacks reach it when it does. All
# four channels then echo, contents checked, and the driver unbinds and
# binds again the same way.
set -eu
. /vsc/lib.sh

n=2000
# Loads vsc_echo with probe_subchannels=3 and checks what probe got.
load() {
	dmesg -c >/dev/null
	modprobe vsc_echo probe_subchannels=3
	vsc_wait_echo 1
	d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
	got=$(dmesg | grep 'probe: 3 sub-channels asked for' || true)
	case "$got" in
	*"3 offered: 0") ;;
	*) echo "probe did not see its 3 offers: '$got'"; exit 1 ;;
	esac
	# Rescinds of the last load's sub-channels may still be on their way.
	for _ in $(seq 100); do
		head -n1 "$d/echo_subchannels" | grep -qx "open 3 offered 3" && break
		sleep 0.1
	done
	if head -n1 "$d/echo_subchannels" | grep -qx "open 3 offered 3"; then
		:
	else
		echo "offers made before the callbacks were not handed over: $(cat "$d/echo_subchannels")"
		exit 1
	fi
	echo "$n" >"$d/echo_run" || echo "the echo run failed"
	vsc_echo_check "$d" $((n * 4))
}

vsc_wait_echo 1
vsc_modprobe_settle
rmmod vsc_echo
load
vsc_modprobe_settle
rmmod vsc_echo
load
vsc_kmemleak_clean
echo "subchannels-probe: ok"
