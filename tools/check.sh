#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every CI tier that exists, one unit per test case. Prints
# PASS/FAIL/SKIP per unit and ends with "N passed, N failed, N skipped".
# Logs go to build/check/. VSC_CHECK_FULL=1 runs the whole kernel matrix.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=$top/build/check
rm -rf "$logs" && mkdir -p "$logs"
passed=0 failed=0 skipped=0
skips=()

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+ ($2)}"; }
skip() { skipped=$((skipped + 1)); skips+=("$1"); echo "SKIP $1 ($2)"; }

# tier KEY TITLE: prints the tier's heading; true if it runs. VSC_CHECK_TIERS
# (keys: static dkms unit fuzz kunit platform integration bugs) runs only
# those, for a developer's quick loop; CI runs them all.
tier() {
	case " ${VSC_CHECK_TIERS:-$1} " in
	*" $1 "*) echo "== $2"; return 0 ;;
	*) echo "== $2: not selected (VSC_CHECK_TIERS)"; return 1 ;;
	esac
}

# unit NAME LOG COMMAND...: one unit from a command's exit status.
unit() {
	local name=$1 log=$logs/$2
	shift 2
	if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name" "log: $log"; fi
}

# A build whose log shows any compiler, sparse or modpost warning fails.
# VSC_TESTS=1: the model driver (drivers/echo) and the test modules are
# held to the same bar as the installed ones.
clean_build() {
	local kdir=$1 out=$2
	shift 2
	rm -rf "$out" && mkdir -p "$out"
	git ls-files -co --exclude-standard -- Kbuild Makefile compat drivers include \
		tests/modules | tar -cT - | tar -x -C "$out"
	make -C "$out" KDIR="$kdir" W=1 VSC_TESTS=1 "$@" modules || return 1
	! grep -E 'warning:|WARNING:|error:' "$logs/$(basename "$out").log"
}

echo "== dependencies"
tools/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

mapfile -t kernels < <(ls -d /usr/src/linux-headers-6.1.*-amd64 \
	/usr/src/linux-headers-6.12.*-amd64 2>/dev/null | grep -v -e cloud -e rt- | sort -V)

if tier static "static checks"; then
# Both stock series must be there: a tier must not shrink in silence.
for series in 6.1 6.12; do
	if printf '%s\n' "${kernels[@]}" | grep -q "linux-headers-$series\.[0-9]"; then
		pass "stock $series headers present"
	else
		fail "stock $series headers present" "no /usr/src/linux-headers-$series.*-amd64 (tools/deps.sh)"
	fi
done
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
unit "shell scripts (shellcheck)" shellcheck.log tools/shellcheck.sh
unit "document references" doc-refs.log tools/doc-refs.sh
fi

if tier dkms "dkms"; then
for kdir in "${kernels[@]}"; do
	k=${kdir#/usr/src/linux-headers-}
	unit "dkms build $k" "dkms-$k.log" tools/dkms-test.sh "$kdir"
done
fi

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

if tier unit "unit tests"; then
if make -C tests/unit all >"$logs/unit-build.log" 2>&1; then
	for t in $(make -s -C tests/unit list); do
		t=tests/unit/$t tname=$(basename "$t")
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$logs/$tname.log" 2>&1
		tap "$tname" "$logs/$tname.log" $?
	done
else
	fail "unit tests build" "log: $logs/unit-build.log"
fi
fi

if tier unit "vsp-sim tests"; then
CMOCKA_MESSAGE_OUTPUT=TAP make -s -C host-sim test >"$logs/host-sim-test.log" 2>&1
tap host-sim "$logs/host-sim-test.log" $?
fi

# fuzz_smoke NAME DIR TARGET LIST LOGDIR: one unit per target that
# "make -C DIR LIST" names: it must say "PASS fuzz_X" and its log
# (LOGDIR/fuzz_X.log) must show at least FUZZ_FLOOR executions; a target
# that ran but is not listed, or is listed but did not run, fails.
FUZZ_FLOOR=${FUZZ_FLOOR:-1000}
# Seconds per target: a smoke test; make fuzz runs each for 1M inputs.
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-8}
fuzz_smoke() {
	local log=$logs/fuzz-$1.log dir=$2 rc t n listed ran
	make -C "$dir" "$3" SMOKE_SECONDS="$FUZZ_SMOKE_SECONDS" \
		FUZZ_SECONDS="$FUZZ_SMOKE_SECONDS" >"$log" 2>&1
	rc=$?
	listed=$(make -s -C "$dir" "$4")
	[ -n "$listed" ] || { fail "fuzz $1" "no targets listed by make $4"; return; }
	ran=$(sed -n 's/^\(PASS\|FAIL\) \(fuzz_[a-z0-9_]*\).*/\2/p' "$log")
	for t in $ran; do
		echo "$listed" | grep -qx "$t" || fail "$1/$t" "ran but is not listed"
	done
	for t in $listed; do
		if ! grep -qE "^PASS $t( |\$)" "$log"; then
			fail "$1/$t" "rc $rc, log: $log"
			continue
		fi
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$5/$t.log" | tail -n1)
		if [ "${n:-0}" -lt "$FUZZ_FLOOR" ]; then
			fail "$1/$t" "${n:-no} executions, floor $FUZZ_FLOOR: $5/$t.log"
		else
			pass "$1/$t ($n executions)"
		fi
	done
}

if tier fuzz "fuzz smoke"; then
fuzz_smoke ring tests/fuzz smoke targets tests/fuzz/build
fuzz_smoke vsp-sim host-sim fuzz-smoke fuzz-targets host-sim/build
fi

# Integration scenarios: every one on the debug kernel, one marked "# check:
# every kernel" (the smoke tests) on each kernel it lists, and one the debug
# kernel cannot run (kexec) on the first kernel it lists; VSC_CHECK_FULL=1
# runs each on every kernel it lists.
# A scenario's "# expect: N" is the exit status it must give (default 0, a
# kernel report is 125), and each "# stats: REGEX" a line vsp-sim's final
# status must hold. Its vsc_unit checks are units of their own besides.
# VSC_CHECK_FULL=1 gives the guests vsc.full=1: the scenarios' full matrix.
scenario() {
	local sc=$1 k=$2 name want rc=0 re
	name=$(basename "$sc" .sh)
	want=$(sed -n 's/^# expect: //p' "$sc")
	# shellcheck disable=SC2046
	tools/vsc-vm --kernel "$k" --log "$logs/vm-$name-$k.console" \
		$(sed -n 's/^# vm: //p' "$sc") ${VSC_CHECK_FULL:+--append vsc.full=1} \
		--qemu "$(sed -n 's/^# qemu: //p' "$sc")" "$sc" \
		>"$logs/vm-$name-$k.log" 2>&1 || rc=$?
	# A scenario's own units (vsc_unit in tools/vm/lib.sh), one per line.
	while read -r _ st unit; do
		if [ "$st" = PASS ]; then pass "$name/$unit on $k"
		else fail "$name/$unit on $k" "console: $logs/vm-$name-$k.console"
		fi
	done < <(tr -d '\r' <"$logs/vm-$name-$k.console" 2>/dev/null | grep -E '^VSC-UNIT (PASS|FAIL) ')
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

if tier kunit "kunit (debug kernel)"; then
# KUnit taints the kernel with TAINT_TEST (N, 1 << 18) by design.
if tools/vsc-vm --kernel debug --taint-ok $((1 << 18)) --log "$logs/kunit.console" \
	tests/kunit/run.sh >"$logs/kunit.log" 2>&1; then
	pass "kunit run"
else
	fail "kunit run" "log: $logs/kunit.log, console: $logs/kunit.console"
fi
# The KTAP on ttyS1, as "case STATUS SUITE.CASE" and, when a suite ends,
# "suite NAME PLAN SEEN": every suite the sources define must run, each
# with as many results as its plan.
ktap=$(awk '/^    # Subtest: / { suite = $3; plan = -1; seen = 0; next }
	/^    [0-9]+\.\.[0-9]+/ { if (suite != "") { split($1, a, "[.][.]"); plan = a[2] }; next }
	/^    (not )?ok [0-9]+ / {
		st = ($1 == "not") ? "notok" : "ok"; nm = (st == "ok") ? $3 : $4
		if ($0 ~ /# SKIP/) st = "skip"
		print "case", st, suite "." nm; seen++; next }
	/^(not )?ok [0-9]+ / { if (suite != "") print "suite", suite, plan, seen; suite = "" }' \
	<(tr -d '\r' <"$logs/kunit.console.ttyS1" 2>/dev/null))
while read -r suite; do
	read -r _ _ plan seen < <(echo "$ktap" | grep -m1 "^suite $suite ") || true
	if [ -z "${plan:-}" ]; then
		fail "kunit suite $suite" "did not run; console: $logs/kunit.console"
	elif [ "$plan" -le 0 ] || [ "$plan" != "$seen" ]; then
		fail "kunit suite $suite" "plan $plan, $seen results"
	else
		pass "kunit suite $suite: $seen of $plan cases reported"
	fi
	plan='' seen=''
done < <(sed -n 's/^\t\.name = "\(vsc_[a-z0-9_]*\)",$/\1/p' tests/kunit/*_test.c | sort -u)
while read -r _ status name; do
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
done < <(echo "$ktap" | grep '^case ')
echo "$ktap" | grep -q '^case [a-z]* vsc_layout_broken\.vsc_layout_selftest$' ||
	fail "kunit/vsc_layout_broken.vsc_layout_selftest" "did not run"

# The platform must be able to fail: a script's status comes back, and a
# kernel report, a leak or a taint fails the run (vsc-vm exits 125).
fi

# platform KERNEL WANT 'SCRIPT' [VSC-VM ARGS]
platform() {
	local k=$1 want=$2 body=$3 script rc=0 tag
	shift 3
	tag=$(echo "$k $want $body $*" | md5sum | cut -c1-8)
	script=$(mktemp)
	echo "$body" >"$script"
	tools/vsc-vm --kernel "$k" --log "$logs/platform-$k-$tag.console" \
		--append modprobe.blacklist=vsc_vmbus "$@" "$script" \
		>"$logs/platform-$k-$tag.log" 2>&1 || rc=$?
	rm -f "$script"
	if [ "$rc" = "$want" ]; then
		pass "vsc-vm on $k${*:+ $*}: '$body' gives $want"
	else
		fail "vsc-vm on $k${*:+ $*}: '$body' gives $rc, want $want" \
			"log: $logs/platform-$k-$tag.log"
	fi
}

if tier platform "platform"; then
for k in debug ${VSC_CHECK_FULL:+6.1 6.12}; do
	platform "$k" 0 "true"
	platform "$k" 7 "exit 7"
	platform "$k" 119 "exit 124"
	platform "$k" 125 "echo c >/proc/sysrq-trigger"
	platform "$k" 0 "echo c >/proc/sysrq-trigger" --expect-panic
	platform "$k" 125 "modprobe vsc_fault warn=1; echo c >/proc/sysrq-trigger" \
		--expect-panic
	platform "$k" 125 "modprobe vsc_fault warn=1"
	platform "$k" 125 "echo 2 >/proc/sys/kernel/tainted"
done
platform debug 125 "modprobe vsc_fault leak=1; sleep 6"
platform debug 120 "true" --no-such-option
fi

if tier integration "integration"; then
for sc in tests/integration/*.sh; do
	for k in $(sed -n 's/^# kernels: //p' "$sc"); do
		# A scenario the debug kernel cannot run goes on its first kernel.
		first=$(sed -n 's/^# kernels: \([^ ]*\).*/\1/p' "$sc")
		if [ "$k" = debug ] || [ -n "${VSC_CHECK_FULL:-}" ] ||
			grep -q '^# check: every kernel$' "$sc" ||
			{ [ "$k" = "$first" ] && [ "$first" != debug ]; }; then
			scenario "$sc" "$k"
		fi
	done
done
fi

# Tests that cannot fail are defects: with each deliberate vsp-sim bug
# its named test must fail on its own assertion (tools/bug-mode.sh).
if tier bugs "bug modes (debug kernel)"; then
# BUG SCENARIO REGEX: the failure the scenario must report under BUG.
# skip-signal: with no interrupts from the host, the run ends short on a
# full ring or its time-out (the nasty profile's spurious interrupts may
# bring in a few answers first); drop-eom: a SINT slot never freed stalls
# the posts or the replies.
while read -r bug sc re; do
	unit "bug $bug: $sc fails as it must" "bug-$bug.log" \
		tools/bug-mode.sh "$bug" "$sc" "$re" debug "$logs"
done <<'BUGS'
corrupt-echo echo echo check failed: .* got 'ok [0-9]+ bad [1-9]
skip-signal echo-1cpu echo check failed: .* got 'ok [0-9]+ bad 0 unknown 0 status -(28|110)'
no-unload-response reload reload: UNLOAD not answered
drop-eom transport transport: vsc_simtest failed: .*(no echo reply|replies missing|post failed at round [0-9]+: -110)
lose-offer hostile want 2 echo devices bound, have 1
no-send-wakeup stall stats check failed: vsp-sim status lacks /\^vmbus_send_wakeups
wrong-residual storage storage: INQUIRY residual wrong
BUGS
# The bug harness itself: a bug name vsp-sim does not know is no catch.
if tools/bug-mode.sh no-such-bug echo 'echo check failed' debug "$logs" \
	>"$logs/bug-misspelt.log" 2>&1; then
	fail "bug-mode: a misspelt bug name" "it passed; log: $logs/bug-misspelt.log"
else
	pass "bug-mode: a misspelt bug name fails"
fi
fi

echo
[ ${#skips[@]} -eq 0 ] || echo "skipped: ${skips[*]}"
[ -z "${VSC_CHECK_TIERS:-}" ] || echo "tiers run: $VSC_CHECK_TIERS (not a full check)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
