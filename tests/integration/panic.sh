#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --expect-panic --sim --echo --sim 2
# stats: ^vmbus_unloads 1$
#
#   guest: echo traffic, then a kernel panic (sysrq c)
#   vsp-sim: receives UNLOAD, posted and answered with no interrupts
#
# The panic notifier unloads VMBus by polling every CPU's SINT 2 slot, so
# that the host stops writing into the dead guest's memory (what a kdump
# kernel needs). The run passes only if the deliberate panic is the one
# kernel report (--expect-panic) and vsp-sim saw exactly one UNLOAD.
set -eu
. /vsc/lib.sh

vsc_wait_echo 2
for d in /sys/bus/vsc_vmbus/devices/*; do
	echo 1000000 >"$d/echo_run" 2>/dev/null &
done
sleep 2
echo c >/proc/sysrq-trigger
