#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every CI tier that exists, one unit per test case. Prints
# PASS/FAIL/SKIP per unit and ends with "N passed, N failed, N skipped".
# Logs go to build/check/. VSC_CHECK_FULL=1 runs the whole kernel matrix.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=$top/build/check
rm -rf "$logs" && mkdir -p "$logs"
passed=0 failed=0 skipped=0
skips=()

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+ ($2)}"; }
skip() { skipped=$((skipped + 1)); skips+=("$1"); echo "SKIP $1 ($2)"; }

# unit NAME LOG COMMAND...: one unit from a command's exit status.
unit() {
	local name=$1 log=$logs/$2
	shift 2
	if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name" "log: $log"; fi
}

# A build whose log shows any compiler, sparse or modpost warning fails.
clean_build() {
	local kdir=$1 out=$2
	shift 2
	rm -rf "$out" && mkdir -p "$out"
	git ls-files -co --exclude-standard -- Kbuild Makefile compat drivers include |
		tar -cT - | tar -x -C "$out"
	make -C "$out" KDIR="$kdir" W=1 "$@" modules || return 1
	! grep -E 'warning:|WARNING:|error:' "$logs/$(basename "$out").log"
}

echo "== dependencies"
tools/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

mapfile -t kernels < <(ls -d /usr/src/linux-headers-6.1.*-amd64 \
	/usr/src/linux-headers-6.12.*-amd64 2>/dev/null | grep -v -e cloud -e rt- | sort -V)

echo "== static checks"
for kdir in "${kernels[@]}"; do
	k=${kdir#/usr/src/linux-headers-}
	for cc in gcc clang; do
		flags=()
		[ $cc = clang ] && flags=(LLVM=1)
		name=build-$k-$cc
		unit "W=1 $cc $k" "$name.log" clean_build "$kdir" "$top/build/$name" "${flags[@]}"
	done
	name=sparse-$k
	unit "sparse $k" "$name.log" clean_build "$kdir" "$top/build/$name" C=2
done
unit "checkpatch" checkpatch.log tools/checkpatch.sh

echo "== dkms"
for kdir in "${kernels[@]}"; do
	k=${kdir#/usr/src/linux-headers-}
	unit "dkms build $k" "dkms-$k.log" tools/dkms-test.sh "$kdir"
done

# tap PREFIX LOG RC: one unit per TAP result in LOG (cmocka's TAP output,
# one or more programs); a program that died early fails as a whole.
tap() {
	local prefix=$1 log=$2 rc=$3 plan seen=0 status name
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$log" | awk '{ n += $1 } END { print n + 0 }')
	while read -r status name; do
		seen=$((seen + 1))
		if [ "$status" = ok ]; then pass "$prefix/$name"; else fail "$prefix/$name" "log: $log"; fi
	done < <(sed -n -e 's/^ok [0-9]* - \(.*\)/ok \1/p' \
		-e 's/^not ok [0-9]* - \(.*\)/notok \1/p' "$log")
	if [ "$plan" -gt "$seen" ] || { [ "$rc" -ne 0 ] && [ "$seen" -eq 0 ]; }; then
		fail "$prefix" "ran $seen of $plan cases, rc $rc, log: $log"
	elif [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$log"; then
		fail "$prefix" "rc $rc with every case passing, log: $log"
	fi
}

echo "== unit tests"
if make -C tests/unit all >"$logs/unit-build.log" 2>&1; then
	for t in tests/unit/build/test_*; do
		tname=$(basename "$t")
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$logs/$tname.log" 2>&1
		tap "$tname" "$logs/$tname.log" $?
	done
else
	fail "unit tests build" "log: $logs/unit-build.log"
fi

echo "== vsp-sim tests"
CMOCKA_MESSAGE_OUTPUT=TAP make -s -C host-sim test >"$logs/host-sim-test.log" 2>&1
tap host-sim "$logs/host-sim-test.log" $?

# fuzz_smoke NAME DIR TARGET: one unit per "PASS|FAIL fuzz_X" line.
fuzz_smoke() {
	local log=$logs/fuzz-$1.log rc status name
	make -C "$2" "$3" >"$log" 2>&1
	rc=$?
	while read -r status name _; do
		if [ "$status" = PASS ]; then pass "$1/$name"; else fail "$1/$name" "log: $log"; fi
	done < <(grep -E '^(PASS|FAIL) fuzz_' "$log")
	grep -qE '^(PASS|FAIL) fuzz_' "$log" || fail "fuzz $1" "rc $rc, log: $log"
}

echo "== fuzz smoke"
fuzz_smoke ring tests/fuzz smoke
fuzz_smoke vsp-sim host-sim fuzz-smoke

# Integration scenarios: every one on the debug kernel, the smoke scenario on
# each stock kernel, and one the debug kernel cannot run (kexec) on the first
# kernel it lists; VSC_CHECK_FULL=1 runs each on every kernel it lists.
# A scenario's "# expect: N" is the exit status it must give (default 0, a
# kernel report is 125), and each "# stats: REGEX" a line vsp-sim's final
# status must hold.
scenario() {
	local sc=$1 k=$2 name want rc=0 re
	name=$(basename "$sc" .sh)
	want=$(sed -n 's/^# expect: //p' "$sc")
	# shellcheck disable=SC2046
	tools/vsc-vm --kernel "$k" --log "$logs/vm-$name-$k.console" \
		$(sed -n 's/^# vm: //p' "$sc") \
		--qemu "$(sed -n 's/^# qemu: //p' "$sc")" "$sc" \
		>"$logs/vm-$name-$k.log" 2>&1 || rc=$?
	if [ "$rc" != "${want:-0}" ]; then
		fail "$name on $k" "exit $rc, want ${want:-0}; log: $logs/vm-$name-$k.log"
		return
	fi
	while read -r re; do
		[ -n "$re" ] || continue
		grep -qE "$re" "$logs/vm-$name-$k.console.stats" || {
			fail "$name on $k" "vsp-sim status lacks /$re/: $logs/vm-$name-$k.console.stats"
			return
		}
	done < <(sed -n 's/^# stats: //p' "$sc")
	pass "$name on $k"
}

echo "== kunit (debug kernel)"
if tools/vsc-vm --kernel debug --log "$logs/kunit.console" tests/kunit/run.sh \
	>"$logs/kunit.log" 2>&1; then
	pass "kunit run"
else
	fail "kunit run" "log: $logs/kunit.log, console: $logs/kunit.console"
fi
while read -r status name; do
	# The broken layout suite exists to fail: its self-test must.
	case $name in
	vsc_layout_broken.vsc_layout_selftest)
		if [ "$status" = notok ]; then
			pass "kunit/$name fails as it must"
		else
			fail "kunit/$name" "a wrong offset went unnoticed"
		fi
		continue ;;
	vsc_layout_broken.*) continue ;;
	esac
	case $status in
	ok) pass "kunit/$name" ;;
	skip) skip "kunit/$name" "skipped by the test" ;;
	*) fail "kunit/$name" "console: $logs/kunit.console" ;;
	esac
done < <(awk '/^ *# Subtest: / { suite = $3 }
	/^    (not )?ok [0-9]+ / {
		st = ($1 == "not") ? "notok" : "ok"; nm = (st == "ok") ? $3 : $4
		if ($0 ~ /# SKIP/) st = "skip"
		print st, suite "." nm }' <(tr -d '\r' <"$logs/kunit.console.ttyS1" 2>/dev/null))

# The platform must be able to fail: a script's status comes back, and a
# guest crash fails the run (vsc-vm exits 125 on a kernel report).
platform() {
	local k=$1 want=$2 body=$3 script rc=0
	script=$(mktemp)
	echo "$body" >"$script"
	tools/vsc-vm --kernel "$k" --log "$logs/platform-$k-$want.console" \
		--append modprobe.blacklist=vsc_vmbus "$script" \
		>"$logs/platform-$k-$want.log" 2>&1 || rc=$?
	rm -f "$script"
	if [ "$rc" = "$want" ]; then
		pass "vsc-vm on $k: '$body' gives $want"
	else
		fail "vsc-vm on $k: '$body' gives $rc, want $want"
	fi
}

echo "== platform"
for k in debug ${VSC_CHECK_FULL:+6.1 6.12}; do
	platform "$k" 0 "true"
	platform "$k" 7 "exit 7"
	platform "$k" 125 "echo c >/proc/sysrq-trigger"
done

echo "== integration"
for sc in tests/integration/*.sh; do
	for k in $(sed -n 's/^# kernels: //p' "$sc"); do
		# A scenario the debug kernel cannot run goes on its first kernel.
		first=$(sed -n 's/^# kernels: \([^ ]*\).*/\1/p' "$sc")
		if [ "$k" = debug ] || [ -n "${VSC_CHECK_FULL:-}" ] ||
			[ "$(basename "$sc")" = smoke.sh ] ||
			{ [ "$k" = "$first" ] && [ "$first" != debug ]; }; then
			scenario "$sc" "$k"
		fi
	done
done

# Tests that cannot fail are defects: with each deliberate vsp-sim bug
# its named test must fail on its own assertion (tools/bug-mode.sh).
echo "== bug modes (debug kernel)"
while read -r bug sc; do
	unit "bug $bug: $sc fails as it must" "bug-$bug.log" \
		tools/bug-mode.sh "$bug" "$sc" debug "$logs"
done <<'BUGS'
corrupt-echo echo
skip-signal echo-1cpu
no-unload-response reload
drop-eom transport
lose-offer hostile
BUGS

echo
[ ${#skips[@]} -eq 0 ] || echo "skipped: ${skips[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
