#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
#   tools/bug-mode.sh BUG SCENARIO REGEX [KERNEL] [LOGDIR]
#
# Runs tests/integration/SCENARIO.sh with vsp-sim's deliberate bug
# --bug=BUG (host-sim/src/hostile.h) and exits 0 only if the scenario
# fails on its own assertion (a "# stats:" line on vsp-sim's final status
# counts as one): the script's exit status is its own (1..119,
# not one of vsc-vm's codes 120..126 for a harness failure, a vsp-sim
# failure, a time-out, a kernel report or no status) and the console
# holds REGEX, the message that the assertion catching BUG prints.
# Anything else (the scenario passes, a misspelt BUG that vsp-sim refuses,
# a build that breaks, a time-out) fails. KERNEL defaults to debug.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bug=$1 name=$2 want=$3 k=${4:-debug} logs=${5:-$top/build/bug}
sc=$top/tests/integration/$name.sh
[ -f "$sc" ] || { echo "bug-mode: no scenario $sc" >&2; exit 2; }
mkdir -p "$logs"
console=$logs/bug-$bug.console
rc=0
# shellcheck disable=SC2046
"$top/tools/vsc-vm" --kernel "$k" --timeout 300 --log "$console" \
	$(sed -n 's/^# vm: //p' "$sc") --sim "--bug=$bug" \
	--qemu "$(sed -n 's/^# qemu: //p' "$sc")" "$sc" || rc=$?
# A scenario's "# stats:" lines are its assertions on what vsp-sim saw;
# one that fails is the scenario's own failure, reported in the console.
if [ "$rc" = 0 ]; then
	while read -r re; do
		[ -n "$re" ] || continue
		if ! grep -qE -- "$re" "$console.stats"; then
			echo "stats check failed: vsp-sim status lacks /$re/" >>"$console"
			rc=1
			break
		fi
	done < <(sed -n 's/^# stats: //p' "$sc")
fi
echo "bug-mode: --bug=$bug: $name on $k exits $rc"
if [ "$rc" -lt 1 ] || [ "$rc" -gt 119 ]; then
	echo "bug-mode: want the scenario's own failure (1..119), got $rc"
	exit 1
fi
if ! grep -qE -- "$want" "$console"; then
	echo "bug-mode: the console lacks the failure the test must report: /$want/"
	exit 1
fi
echo "bug-mode: caught: $(grep -m1 -oE -- "$want" "$console")"
