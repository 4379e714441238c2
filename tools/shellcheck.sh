#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs shellcheck over every shell script of the project: the harness
# (bash) and the guest scenarios (busybox sh, run with -e). Warnings fail,
# and so does SC2251 in particular: a line "! cmd" is never checked under
# sh -e, so an assertion written that way can never fail. Not checked:
# SC2010 (ls | grep: sysfs names have no odd characters) and SC1091
# (sourced files that exist only in the guest).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v shellcheck >/dev/null || { echo "shellcheck missing (tools/deps.sh)"; exit 1; }

mapfile -t scripts < <(git ls-files -co --exclude-standard |
	grep -vE '^build/' | while read -r f; do
		[ -f "$f" ] || continue
		case $f in
		*.sh|*.host|tools/vsc-vm|tools/vm/init) echo "$f" ;;
		esac
	done)
echo "shellcheck: ${#scripts[@]} scripts"
rc=0
shellcheck -S warning -e SC1091,SC2010 "${scripts[@]}" || rc=1
shellcheck -i SC2251 "${scripts[@]}" || rc=1
exit $rc
