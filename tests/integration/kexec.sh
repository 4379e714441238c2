#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: 6.12 6.1
# vm: --smp 2 --mem 1024 --kexec --sim --echo --sim 1
# stats: ^vmbus_contacts 2$
# stats: ^vmbus_unloads 2$
#
#   guest, first kernel: echo, then kexec -e    vsp-sim: UNLOAD (shutdown
#                                                of the first kernel), the
#                                                SynIC pages let go
#   guest, second kernel: connects again, echo   vsp-sim: a new contact
#
# A kexec reboot: the first kernel shuts its devices down (VMBus UNLOAD,
# the shim withdraws its pages), so the host writes nothing into the next
# kernel's memory and takes its connection afresh. The debug kernel has no
# kexec; the stock kernels do.
set -eu
. /vsc/lib.sh

dev=$(echo /sys/bus/vsc_vmbus/devices/*)
if grep -q 'vsc.stage=2' /proc/cmdline; then
	vsc_wait_echo 1
	echo 2000 >"$dev/echo_run"
	vsc_echo_check "$dev" 2000
	dmesg | grep -q 'VMBus version 5.3' || { echo "no VMBus after kexec"; exit 1; }
	echo "kexec: ok"
	exit 0
fi

vsc_wait_echo 1
echo 2000 >"$dev/echo_run"
kexec -l /vsc/vmlinuz --initrd=/vsc/initrd \
	--command-line="$(cat /proc/cmdline) vsc.stage=2"
echo "kexec: into the second kernel"
kexec -e
echo "kexec -e returned"
exit 1
