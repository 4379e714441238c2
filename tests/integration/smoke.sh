#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# check: every kernel
# vm: --append modprobe.blacklist=vsc_vmbus
# qemu: -object memory-backend-ram,id=plain,size=1M -device ivshmem-plain,memdev=plain
#
#   guest                                QEMU
#   vsc_hypercall  <-- PCI 1af4:1110 --  ivshmem-doorbell (vsp-sim)   binds
#                  <-- PCI 1af4:1110 --  ivshmem-plain (not vsp-sim)  declines
#   vsc_vmbus + storvsc, netvsc, balloon (loaded by name, shim unbound)
#
# The shim autoloads by its PCI alias, binds to vsp-sim's device only, and
# the whole suite loads and unloads cleanly.
set -eu

# The real tools the later scenarios use are in the initramfs and run.
# Each must start and say what it is (no pipe that would hide its status).
tool() {
	out=$("$@" 2>&1) || { echo "smoke: '$*' failed: $out"; exit 1; }
	echo "$out" | head -n 1
}
tool fio --version
tool mkfs.ext4 -V
tool sg_inq --version
tool iperf3 --version
tool ethtool --version
tool /usr/sbin/ip -V	# busybox sh prefers its own applets: name the real one

drv=/sys/bus/pci/drivers/vsc_hypercall_sim
grep -q '^vsc_hypercall ' /proc/modules || { echo "shim did not autoload"; exit 1; }
dmesg | grep -q "not vsp-sim's, not binding" || { echo "shim did not decline"; exit 1; }
n=$(ls "$drv" | grep -c '^0000:')
[ "$n" = 1 ] || { echo "shim bound $n devices, want 1"; exit 1; }
dev=$(ls "$drv" | grep '^0000:')
[ -d /sys/bus/platform/devices/vsc_vmbus ] || { echo "no VMBus root device"; exit 1; }

# Without a VMBus server yet, load the bus with the shim unbound.
echo "$dev" >"$drv/unbind"
for m in vsc_vmbus vsc_storvsc vsc_netvsc vsc_balloon; do
	modprobe "$m"
done
[ -d /sys/bus/vsc_vmbus ] || { echo "no vsc_vmbus bus"; exit 1; }
for d in vsc_storvsc vsc_netvsc vsc_balloon; do
	[ -d "/sys/bus/vsc_vmbus/drivers/$d" ] || { echo "driver $d missing"; exit 1; }
done
modinfo -F alias vsc_storvsc | grep -q '^vsc_vmbus:ba6163d9-04a1-4d29-b605-72e2ffb1dc7f$'
modprobe --show-depends vsc_vmbus:f8615163-df3e-46c5-913f-f2d2f965ed0e | grep -q vsc_netvsc
modinfo -F alias vsc_vmbus | grep -q '^platform:vsc_vmbus$'

for _ in 1 2 3 4 5; do
	rmmod vsc_storvsc vsc_netvsc vsc_balloon vsc_vmbus
	modprobe vsc_storvsc
	modprobe vsc_netvsc
	modprobe vsc_balloon
done
rmmod vsc_storvsc vsc_netvsc vsc_balloon vsc_vmbus
echo "$dev" >"$drv/bind"
[ -d /sys/bus/platform/devices/vsc_vmbus ] || { echo "no root after rebind"; exit 1; }
rmmod vsc_hypercall
if grep -q '^vsc_' /proc/modules; then
	echo "smoke: modules left: $(grep '^vsc_' /proc/modules | cut -d' ' -f1)"
	exit 1
fi
echo "smoke: ok"
