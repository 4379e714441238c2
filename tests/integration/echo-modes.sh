#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 2
#
#   guest CPU 0,1                                     vsp-sim
#   vsc_echo             -- 2 channels, interrupt mode -- echo devices 1, 2
#   vsc_echo polled=1 xmit_more=1
#                        -- 2 channels, polled mode ----- echo devices 1, 2
#
# Both receive modes of the bus end to end: vsc_echo in interrupt mode
# (the bus masks, calls, unmasks and rechecks), then reloaded with
# polled=1 (the driver owns the mask, as a NAPI poll: it masks, reads
# batches into the bus's packet buffer, unmasks and rechecks, and
# reschedules itself), with every send's signal deferred to a kick per
# burst (xmit_more). Each mode echoes 100,000 packets of mixed sizes on
# both channels at once, every byte checked both ways; each channel's flow
# file names its mode, and the polled run's counts kicks that signalled.
set -eu
. /vsc/lib.sh

n=100000

run_mode() {
	mode=$1
	devs=$(ls -d /sys/bus/vsc_vmbus/devices/*)
	for d in $devs; do
		for c in "$d"/channels/*; do
			grep -qx "mode $mode" "$c/flow" ||
				{ echo "$c: want mode $mode, flow says: $(cat "$c/flow")"; exit 1; }
		done
	done
	vsc_echo_run_all "$n"
	cat /sys/bus/vsc_vmbus/devices/*/channels/*/flow
	echo "echo-modes: $mode mode: $n packets a channel ok"
}

vsc_wait_echo 2
run_mode interrupt

vsc_modprobe_settle
rmmod vsc_echo
modprobe vsc_echo polled=1 xmit_more=1
vsc_wait_echo 2
run_mode polled
for c in /sys/bus/vsc_vmbus/devices/*/channels/*; do
	kicks=$(awk '$1 == "signals_deferred" { print $2 }' "$c/flow")
	[ "$kicks" -ge 1 ] || { echo "$c: xmit_more sent no deferred signal"; exit 1; }
done
echo "echo-modes: ok"
