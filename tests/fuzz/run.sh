#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh OPTION TARGET...: runs each libFuzzer target with OPTION
# (-max_total_time=N or -runs=N) on its corpus and seeds, and prints
# "PASS fuzz_X (N executions)" or "FAIL fuzz_X"; exits 1 if any failed.

cd "$(dirname "$0")" || exit 1
opt=$1
shift
rc=0
for t in "$@"; do
	mkdir -p "build/corpus/$t" "build/seeds/$t" build/artifacts
	log=build/$t.log
	if "build/$t" -rss_limit_mb=1024 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix=build/artifacts/ "$opt" \
		"build/corpus/$t" "build/seeds/$t" >"$log" 2>&1; then
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "PASS $t ($n executions)"
	else
		echo "FAIL $t (see tests/fuzz/$log)"
		rc=1
	fi
done
exit $rc
