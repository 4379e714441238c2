#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: 6.12 6.1
# vm: --smp 2 --mem 1024 --kexec --append crashkernel=384M --append crash_kexec_post_notifiers --expect-kdump --sim --echo --sim 1
# stats: ^vmbus_contacts 3$
# stats: ^vmbus_unloads 3$
#
#   guest, first kernel: echo, crash kernel loaded, panic   vsp-sim: UNLOAD,
#                                                          posted and
#                                                          polled in panic
#   guest, kdump kernel: connects again, echo, then one     vsp-sim: 2nd and
#                        more UNLOAD and contact            3rd contacts
#
# kdump: with crash_kexec_post_notifiers the panic notifier unloads VMBus
# before the crash kernel starts, and the crash kernel finds a host that
# takes its connection afresh. The run passes only if the deliberate panic
# is the one kernel report and the crash kernel's script exits 0
# (--expect-kdump); the third contact and the third UNLOAD (panic, rmmod,
# power-off) prove the host saw it all. The debug kernel has no kexec.
set -eu
. /vsc/lib.sh

dev=$(echo /sys/bus/vsc_vmbus/devices/*)
if grep -q 'vsc.stage=2' /proc/cmdline; then
	vsc_wait_echo 1
	echo 2000 >"$dev/echo_run"
	vsc_echo_check "$dev" 2000
	rmmod vsc_echo vsc_vmbus
	modprobe vsc_vmbus
	vsc_wait_echo 1
	echo "kdump: ok"
	exit 0
fi

vsc_wait_echo 1
echo 2000 >"$dev/echo_run"
kexec -p /vsc/vmlinuz --initrd=/vsc/initrd --command-line="$(sed \
	's/crashkernel=[^ ]*//' /proc/cmdline) vsc.stage=2 nr_cpus=1 irqpoll"
echo "kdump: crash kernel loaded, panicking"
echo c >/proc/sysrq-trigger
