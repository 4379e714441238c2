#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run without a terminal: a short demonstration, then power off.
set -eu
for m in vsc_hypercall vsc_vmbus vsc_storvsc vsc_netvsc vsc_balloon; do
	modprobe "$m"
done
echo "modules:"; grep '^vsc_' /proc/modules
echo "vsc_vmbus drivers:"; ls /sys/bus/vsc_vmbus/drivers
