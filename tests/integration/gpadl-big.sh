#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --sim --echo --sim 1
#
#   guest: vsc_echo, echo_gpadl N MiB --- GPADL_HEADER + ~N*9 BODY --- vsp-sim
#                                     <-- GPADL_CREATED
#          (timed)                    --- GPADL_TEARDOWN / TORNDOWN <--
#
# Large GPADLs as netvsc needs them (receive buffer 16 MiB by default,
# 31 MiB at most; send buffer up to 15 MiB): each size is created and torn
# down on the echo channel in bounded time (the run fails past 60 s), and
# 32 MiB, whose range list no longer fits a GPADL header's 16-bit length,
# is refused at once. The channel echoes afterwards.
set -eu
. /vsc/lib.sh

vsc_wait_echo 1
d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
for mib in 1 15 16 31; do
	t0=$(date +%s)
	echo "$mib" >"$d/echo_gpadl" || echo "GPADL of $mib MiB failed"
	t1=$(date +%s)
	cat "$d/echo_gpadl"
	grep -q "^mib $mib .* status 0$" "$d/echo_gpadl" ||
		{ echo "gpadl-big: $mib MiB: $(cat "$d/echo_gpadl")"; exit 1; }
	[ $((t1 - t0)) -le 60 ] || { echo "gpadl-big: $mib MiB took $((t1 - t0)) s"; exit 1; }
done
if echo 32 >"$d/echo_gpadl" 2>/dev/null; then
	echo "gpadl-big: a GPADL of 32 MiB was accepted"
	exit 1
fi
echo 1000 >"$d/echo_run" || echo "the echo run failed"
vsc_echo_check "$d" 1000
vsc_kmemleak_clean
echo "gpadl-big: ok"
