#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh OPTION TARGET...: runs each libFuzzer target of host-sim with
# OPTION (-max_total_time=N or -runs=N) on its corpus in build/corpus/ and
# the seeds in fuzz/seeds/, and prints exactly "PASS fuzz_X" or "FAIL
# fuzz_X". The log is build/fuzz_X.log; execution counts are collected in
# build/fuzz-summary.txt. Exits 1 if any failed.

cd "$(dirname "$0")/.." || exit 1
opt=$1
shift
rc=0
: >build/fuzz-summary.txt
for t in "$@"; do
	mkdir -p "build/corpus/$t" build/artifacts
	log=build/$t.log
	seeds=
	[ -d "fuzz/seeds/$t" ] && seeds=fuzz/seeds/$t
	if "build/$t" -rss_limit_mb=1024 -max_len=4096 -print_final_stats=1 \
		-artifact_prefix=build/artifacts/ "$opt" \
		"build/corpus/$t" ${seeds:+"$seeds"} \
		>"$log" 2>&1; then
		echo "PASS $t"
	else
		echo "FAIL $t"
		rc=1
	fi
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "$t: ${n:-?} executions (build/$t.log)" >>build/fuzz-summary.txt
done
exit $rc
