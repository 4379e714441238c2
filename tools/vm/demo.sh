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
	[ -e "$d/echo_run" ] || continue
	echo 1000 >"$d/echo_run"
	echo "  1000 echo packets: $(cat "$d/echo_result")"
done
# The synthetic disk: a file system on it, if it has none yet.
for _ in $(seq 50); do
	[ -b /dev/sda ] && break
	sleep 0.2
done
if [ -b /dev/sda ]; then
	lsscsi
	mkdir -p /mnt
	mount -t ext4 /dev/sda /mnt 2>/dev/null ||
		{ mkfs.ext4 -q /dev/sda && mount -t ext4 /dev/sda /mnt; }
	date >>/mnt/boots
	echo "/dev/sda mounted, boots so far: $(wc -l </mnt/boots)"; df -h /mnt
	umount /mnt
fi
