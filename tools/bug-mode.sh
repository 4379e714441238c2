#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
#   tools/bug-mode.sh BUG SCENARIO [KERNEL] [LOGDIR]
#
# Runs tests/integration/SCENARIO.sh with vsp-sim's deliberate bug
# --bug=BUG (host-sim/src/hostile.h) and exits 0 only if the scenario
# fails on its own: its script's exit status 1..122. Passing means the
# test cannot see the bug; 123 (vsp-sim failed), 124 (time-out), 125 (a
# kernel report: a guest bug) and 126 (no status) are not the test's own
# failure. KERNEL defaults to debug. A test that waits instead of failing
# runs into --timeout 300.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bug=$1 sc=$top/tests/integration/$2.sh k=${3:-debug} logs=${4:-$top/build/bug}
[ -f "$sc" ] || { echo "no scenario $sc" >&2; exit 2; }
mkdir -p "$logs"
rc=0
# shellcheck disable=SC2046
"$top/tools/vsc-vm" --kernel "$k" --timeout 300 --log "$logs/bug-$bug.console" \
	$(sed -n 's/^# vm: //p' "$sc") --sim "--bug=$bug" \
	--qemu "$(sed -n 's/^# qemu: //p' "$sc")" "$sc" || rc=$?
echo "bug-mode: --bug=$bug: $2 on $k exits $rc"
[ "$rc" -ge 1 ] && [ "$rc" -le 122 ]
