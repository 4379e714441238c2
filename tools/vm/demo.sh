#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run without a terminal: a short demonstration, then power off.
set -eu
for _ in $(seq 50); do
	[ -e /sys/bus/vsc_vmbus/drivers/vsc_echo ] && break
	sleep 0.2
done
echo "modules:"; cut -d' ' -f1 /proc/modules | grep '^vsc_' | tr '\n' ' '; echo
dmesg | grep -E 'vsc_vmbus vsc_vmbus|vsc_hypercall_sim'
for d in /sys/bus/vsc_vmbus/devices/*; do
	echo "device $(basename "$d"): class $(cat "$d/class_id"), relid $(cat "$d/relid")," \
		"driver $(basename "$(readlink "$d/driver")"), channel on CPU $(cat "$d"/channels/*/cpu)"
	echo 1000 >"$d/echo_run"
	echo "  1000 echo packets: $(cat "$d/echo_result")"
done
