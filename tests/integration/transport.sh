#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --append modprobe.blacklist=vsc_vmbus
#
#   guest: vsc_simtest -> vsc_hypercall (sim) == ivshmem-doorbell == vsp-sim echo
#          CPU n <- MSI-X vector n (VP n)
#
# The shim autoloads and binds to vsp-sim; 10,000 echo round trips with
# more in flight than the host's FIFO, the SINT 2 slot and the post mailbox
# hold, replies on the VP asked for; then unload and reload 50 times with
# no leak.
set -eu
. /vsc/lib.sh

bound() { ls /sys/bus/pci/drivers/vsc_hypercall_sim/ | grep -q '^0000:'; }
bound || { echo "vsc_hypercall did not bind"; exit 1; }

# 160 in flight: more than the VP FIFO (64), the slot and the mailbox (32)
# hold together, so the mailbox must fill whatever the host's pacing.
if ! modprobe vsc_simtest rounds=10000 inflight=160; then
	echo "transport: vsc_simtest failed: $(dmesg | grep vsc_simtest: | tail -n 3)"
	exit 1
fi
rmmod vsc_simtest
dmesg | grep 'vsc_simtest:'
dmesg | grep -q 'mailbox full retries [1-9]' || { echo "mailbox never full"; exit 1; }
dmesg | grep -q 'EOMs [1-9]' || { echo "no EOM exercised"; exit 1; }
for cpu in 0 1; do
	dmesg | grep -q "cpu $cpu vp [0-9]* replies [1-9]" ||
		{ echo "cpu $cpu took no replies"; exit 1; }
done

for i in $(seq 50); do
	rmmod vsc_hypercall
	modprobe vsc_hypercall
	bound || { echo "no bind after reload $i"; exit 1; }
	modprobe vsc_simtest rounds=200 inflight=40
	rmmod vsc_simtest
done
vsc_kmemleak_clean
echo "transport: ok"
