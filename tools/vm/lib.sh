# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scenarios (tests/integration/*.sh), in the
# initramfs as /vsc/lib.sh: ". /vsc/lib.sh".

# The debug kernel (KASAN, lockdep, kmemleak) under TCG is several times
# slower than the stock ones: scenarios size their runs by this.
vsc_debug_kernel() { [ -e /sys/kernel/debug/kmemleak ]; }

# How many echo devices vsc_echo is bound to.
vsc_echo_bound() {
	ls /sys/bus/vsc_vmbus/drivers/vsc_echo 2>/dev/null | grep -c -- - || true
}

# Waits up to 20 s until vsc_echo is bound to $1 devices; fails otherwise.
vsc_wait_echo() {
	for _ in $(seq 200); do
		[ "$(vsc_echo_bound)" = "$1" ] && return 0
		sleep 0.1
	done
	echo "want $1 echo devices bound, have $(vsc_echo_bound)"
	return 1
}

# Fails, saying what it got, unless the last run of $2 packets on echo
# device $1 passed: every answer right, none unknown, status 0.
vsc_echo_check() {
	got=$(head -n 1 "$1/echo_result")
	[ "$got" = "ok $2 bad 0 unknown 0 status 0" ] && return 0
	echo "echo check failed: $1: want 'ok $2 bad 0 unknown 0 status 0', got '$got'"
	return 1
}

# Fails with the report when kmemleak (debug kernel only) finds a leak.
vsc_kmemleak_clean() {
	vsc_debug_kernel || return 0
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	[ -z "$leaks" ] || { echo "$leaks"; return 1; }
}

# Runs $1 echo packets on every echo device at once and checks each
# result; what each device's channels did is printed after its result.
vsc_echo_run_all() {
	pids=
	for d in /sys/bus/vsc_vmbus/devices/*; do
		echo "$1" >"$d/echo_run" &
		pids="$pids $!"
	done
	# A run that failed is reported by the check of its result below.
	for p in $pids; do
		wait "$p" || echo "an echo run failed"
	done
	for d in /sys/bus/vsc_vmbus/devices/*; do
		cat "$d/echo_result"
		vsc_echo_check "$d" "$1"
		cat "$d"/channels/*/out_ring | grep -E 'packets|signals|full'
	done
}

# mdev runs a modprobe per uevent: waits (10 s at most) until none is
# left, so that an rmmod is not followed by a load behind its back.
vsc_modprobe_settle() {
	for _ in $(seq 100); do
		grep -qx modprobe /proc/[0-9]*/comm 2>/dev/null || return 0
		sleep 0.1
	done
}

# vsc_unit NAME FUNCTION [ARGS...]: runs one check of a scenario as a unit
# of its own: in a subshell, with -e, its "VSC-UNIT PASS|FAIL NAME" line on
# the console is what make check counts (tools/check.sh). A failed unit
# does not stop the scenario; vsc_units_done fails it at the end.
vsc_units_failed=0
vsc_unit() {
	vsc_unit_name=$1
	shift
	set +e
	(set -e; "$@")
	vsc_unit_rc=$?
	set -e
	# On a line of its own, whatever the check left unfinished on its last.
	if [ "$vsc_unit_rc" = 0 ]; then
		printf '\nVSC-UNIT PASS %s\n' "$vsc_unit_name"
	else
		printf '\nVSC-UNIT FAIL %s\n' "$vsc_unit_name"
		vsc_units_failed=$((vsc_units_failed + 1))
	fi
}

# Fails the scenario if any of its units failed.
vsc_units_done() {
	[ "$vsc_units_failed" = 0 ] && return 0
	echo "$vsc_units_failed unit(s) failed"
	return 1
}

# The sd name of LUN $1 on target 0 of a synthetic SCSI controller (sd
# names follow probe order, not LUNs); fails if there is none.
vsc_lun_disk() {
	for blk in /sys/block/sd*; do
		case $(basename "$(readlink -f "$blk/device")") in
		*:0:0:"$1") basename "$blk"; return 0 ;;
		esac
	done
	return 1
}
