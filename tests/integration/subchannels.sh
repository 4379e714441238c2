#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 1
#
#   guest CPU 0,1                                vsp-sim
#   vsc_echo --- primary (relid 1), CPU a ------- echo device 1 (worker)
#            \-- sub-channel 1 (relid r1), CPU b - worker
#            \-- sub-channel 2 (relid r2), CPU a - worker
#            \-- sub-channel 3 (relid r3), CPU b - worker
#
# Sub-channels end to end: echo_subchannels sends CTRL SUBCHANNELS 3 on the
# primary, vsp-sim answers and offers three sub-channels (late, in the
# nasty profile), vsc_echo opens them round-robin over both CPUs, and
# echo_run runs on all four channels at once, contents checked. Out of
# range and repeated requests are refused. Unbinding the driver closes
# every channel; vsp-sim rescinds the sub-channels with the primary's
# close and the guest releases them (gone from sysfs and debugfs). Then
# again after a rebind, after rmmod/modprobe vsc_echo, and across UNLOAD
# (rmmod vsc_echo vsc_vmbus with sub-channels open: the host's rescinds
# and the bus's removal race). kmemleak clean.
set -eu
. /vsc/lib.sh

n=20000
vsc_debug_kernel && n=5000
drv=/sys/bus/vsc_vmbus/drivers/vsc_echo

bound() {
	for _ in $(seq 100); do
		[ "$(ls $drv 2>/dev/null | grep -c -- -)" = 1 ] && return 0
		sleep 0.1
	done
	echo "echo device not bound"
	return 1
}

# nchans N: waits until the device shows N channel folders.
nchans() {
	for _ in $(seq 100); do
		[ "$(ls "$d/channels" | wc -l)" = "$1" ] && return 0
		sleep 0.1
	done
	echo "want $1 channels, have: $(ls "$d/channels" | tr '\n' ' ')"
	return 1
}

# subs N: asks for N sub-channels and waits until N are open; counts them.
opened=0
subs() {
	echo "$1" >"$d/echo_subchannels"
	for _ in $(seq 100); do
		if head -n1 "$d/echo_subchannels" | grep -qx "open $1 offered $1"; then
			opened=$((opened + $1))
			return 0
		fi
		sleep 0.1
	done
	echo "want $1 sub-channels open, have: $(cat "$d/echo_subchannels")"
	return 1
}

# refused N: the host must refuse N sub-channels.
refused() {
	if echo "$1" >"$d/echo_subchannels" 2>/dev/null; then
		echo "a request for $1 sub-channels was granted"
		return 1
	fi
}

settle() {
	for _ in $(seq 100); do
		grep -qx modprobe /proc/[0-9]*/comm 2>/dev/null || return 0
		sleep 0.1
	done
}

bound
d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
dev=$(basename "$d")
nchans 1
prim=$(cat "$d/relid")

# Refused by the host, with a status: none, or more than 8.
refused 0
refused 9
subs 3
cat "$d/echo_subchannels"
# Once per open of the primary.
refused 1
nchans 4
sc=$(ls "$d/channels" | grep -vx "$prim")
cpus=
for c in "$d"/channels/*; do
	grep -qx open "$c/state"
	cpus="$cpus $(cat "$c/cpu")"
	[ -e "/sys/kernel/debug/vsc_vmbus/$(basename "$c")" ]
done
echo "channels: $(ls "$d/channels" | tr '\n' ' ')on CPUs$cpus"
[ "$(echo $cpus | tr ' ' '\n' | sort -u | wc -l)" = 2 ] ||
	{ echo "channels not on both CPUs:$cpus"; exit 1; }
[ "$(cat "$d"/channels/*/sub_channel_index | sort | tr '\n' ' ')" = "0 1 2 3 " ]

# Traffic on all four at once, each channel checked on its own.
echo "$n" >"$d/echo_run"
cat "$d/echo_result"
vsc_echo_check "$d" $((4 * n))
[ "$(grep -c "^channel [0-9]* cpu [0-9]* ok $n bad 0 unknown 0 status 0\$" "$d/echo_result")" = 4 ] ||
	{ echo "not every channel echoed $n: $(cat "$d/echo_result")"; exit 1; }
for c in "$d"/channels/*; do
	p=$(sed -n 's/^packets //p' "$c/out_ring")
	[ "$p" -ge "$n" ] || { echo "relid $(basename "$c"): $p packets out"; exit 1; }
done

# Unbind: every channel closed; the host rescinds the sub-channels with
# the primary's close, and the guest releases them.
echo "$dev" >"$drv/unbind"
nchans 1
grep -qx closed "$d/channels/$prim/state"
for r in $sc; do
	[ ! -e "/sys/kernel/debug/vsc_vmbus/$r" ]
done
echo "$dev" >"$drv/bind"
bound
grep -q "^open 0 offered 0" "$d/echo_subchannels"
# The released relids are offered again.
subs 3
nchans 4
echo 1000 >"$d/echo_run"
vsc_echo_check "$d" 4000

# rmmod/modprobe vsc_echo with sub-channels open.
settle
rmmod vsc_echo
nchans 1
modprobe vsc_echo
bound
subs 2
nchans 3

# UNLOAD right behind vsc_echo's removal, then the bus again.
settle
rmmod vsc_echo vsc_vmbus
modprobe vsc_vmbus
bound
d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
nchans 1
subs 3
echo 1000 >"$d/echo_run"
vsc_echo_check "$d" 4000
settle
rmmod vsc_echo vsc_vmbus
# Every sub-channel asked for was opened once, no more.
got=$(dmesg | grep -c 'sub-channel .* open on CPU' || true)
[ "$got" = "$opened" ] || { echo "$got sub-channel opens logged, want $opened"; exit 1; }

vsc_kmemleak_clean
echo "subchannels: ok"
