#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the kernel's checkpatch.pl (from Debian's linux-source-6.12, unpacked
# once into the cache) over the suite's kernel sources and wire headers.
# usage: tools/checkpatch.sh [FILE...]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VSC_CACHE:-/var/cache/vsc}
dir=$cache/checkpatch
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$dir"
	tar -C "$dir" --strip-components=1 -xf /usr/src/linux-source-6.12.tar.xz \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi

# Files given are taken relative to the caller's folder, then named
# relative to the top for the exceptions below; a missing one is an error.
files=()
for f in "$@"; do
	[ -f "$f" ] || { echo "checkpatch: no such file: $f" >&2; exit 1; }
	f=$(realpath "$f")
	files+=("${f#"$top"/}")
done
cd "$top"
if [ $# -eq 0 ]; then
	mapfile -t files < <(git ls-files -co --exclude-standard 'drivers/*.[ch]' \
		'include/*.h' 'compat/*.h' 'tests/kunit/*.[ch]')
fi
[ ${#files[@]} -gt 0 ] || exit 0
# Exceptions, each to one place: compat/ names the two ends of the supported
# kernel range and spells the non-const bus_type of older kernels;
# include/vsc/types.h defines __packed for userspace.
rc=0
for f in "${files[@]}"; do
	case "$f" in
	compat/*) ign=LINUX_VERSION_CODE,CONSTANT_COMPARISON,CONST_STRUCT ;;
	include/vsc/types.h) ign=PREFER_DEFINED_ATTRIBUTE_MACRO ;;
	*) ign=NONE ;;
	esac
	"$dir/scripts/checkpatch.pl" --no-tree --quiet --show-types \
		--ignore "$ign" -f "$f" || rc=1
done
rm -f .checkpatch-camelcase.*
exit $rc
