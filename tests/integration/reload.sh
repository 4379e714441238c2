#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 2
# stats: ^vmbus_contacts 51$
# stats: ^vmbus_unloads 51$
#
#   guest: every module of the suite out and in again, 50 times: the class
#          drivers, vsc_vmbus (UNLOAD), vsc_hypercall (the transport let go);
#          loading vsc_hypercall brings the rest back by alias
#   vsp-sim: resets the connection on UNLOAD, offers the same devices again
#
# The suite unloads and reloads cleanly with channels open, 50 times, with
# traffic after each reload and no leak: vsp-sim counts one contact at boot
# and one per reload, one UNLOAD per unload and one at power-off.
set -eu
. /vsc/lib.sh

# mdev runs a modprobe per uevent; one still running after the devices
# are bound can load vsc_echo again behind our rmmod.
settle() {
	for _ in $(seq 100); do
		grep -qx modprobe /proc/[0-9]*/comm 2>/dev/null || return 0
		sleep 0.1
	done
}

vsc_wait_echo 2
modprobe -a vsc_storvsc vsc_netvsc vsc_balloon
for i in $(seq 50); do
	settle
	rmmod vsc_echo vsc_storvsc vsc_netvsc vsc_balloon vsc_vmbus vsc_hypercall
	grep -q '^vsc_' /proc/modules && { grep '^vsc_' /proc/modules; exit 1; }
	if dmesg | grep -q 'no UNLOAD_RESPONSE'; then
		echo "reload: UNLOAD not answered (round $i)"
		exit 1
	fi
	modprobe vsc_hypercall
	modprobe -a vsc_storvsc vsc_netvsc vsc_balloon
	vsc_wait_echo 2
	for d in /sys/bus/vsc_vmbus/devices/*; do
		echo 100 >"$d/echo_run"
	done
done
vsc_kmemleak_clean
echo "reload: ok"
