#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every document the project refers to is in it: each path to a .md file
# named in the sources, scripts and docs, and each `docs/`, `tools/`,
# `tests/`, `host-sim/` or `bench/` path quoted in a Markdown file, must
# exist (from the top, or beside the file that names it); nothing may point
# outside the repository (../shared/ and the like). Prints each dangling
# reference as FILE: PATH and exits 1 if there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

bad=0
check() {
	local file=$1 ref=$2
	ref=${ref%%#*}
	ref=${ref%.}
	case $ref in
	../*) echo "$file: $ref (outside the repository)"; bad=1; return ;;
	esac
	# Benchmark pages are named by their file name (bench/results/).
	[ -e "$ref" ] || [ -e "$(dirname "$file")/$ref" ] || [ -e "${ref%/}" ] ||
		[ -e "bench/results/$(basename "$ref")" ] || {
		echo "$file: $ref"
		bad=1
	}
}

while read -r file; do
	# Paths to Markdown files, anywhere.
	while read -r ref; do
		check "$file" "$ref"
	done < <(grep -oE '(\.\./)*[A-Za-z0-9_][A-Za-z0-9_./-]*\.md\b' "$file" |
		grep -v -e '^README\.md$' -e '^[A-Z_]*\.md$' -e '://' | sort -u || true)
	case $file in
	*.md) ;;
	*) continue ;;
	esac
	# Quoted project paths in Markdown.
	while read -r ref; do
		check "$file" "$ref"
	done < <(grep -oE '`(docs|tools|tests|host-sim|bench)/[A-Za-z0-9_./-]*`' "$file" |
		tr -d '`' | sort -u || true)
done < <(git ls-files -co --exclude-standard | grep -vE '^(build|bench/results)/' |
	grep -E '\.(md|c|h|sh|host)$|Makefile|Kbuild|(^|/)tools/vsc-vm$|dkms\.conf')
# Upper-case .md names alone (VMBUS.md and the like) must exist somewhere.
while read -r ref; do
	[ -n "$(git ls-files -co --exclude-standard -- "*$ref" "$ref")" ] ||
		{ echo "(somewhere): $ref"; bad=1; }
done < <(git ls-files -co --exclude-standard | grep -E '\.(md|c|h|sh)$|Makefile' |
	xargs grep -ohE '\b[A-Z][A-Z_-]*\.md\b' | sort -u)
exit $bad
