#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the debug kernel once and caches it outside the checkout, keyed by
# a hash of the source package version and the config fragment. Prints the
# cache folder (holding bzImage and a build tree usable as KDIR) on stdout.
#
# usage: tools/kernel/build.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VSC_CACHE:-/var/cache/vsc}
tarball=/usr/src/linux-source-6.12.tar.xz
frag=$here/debug.config

[ -f "$tarball" ] || { echo "missing $tarball (apt-get install linux-source-6.12)" >&2; exit 1; }
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12)
key=$( (echo "$srcver"; cat "$frag") | sha256sum | cut -c1-16)
out=$cache/kernel/debug-$key
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

log=$cache/kernel/debug-$key.log
mkdir -p "$cache/kernel"
# One build at a time: a second caller waits for the first and uses its tree.
exec 8>"$cache/kernel/.lock"
flock 8
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi
echo "vsc: building the debug kernel ($srcver, config $key); log in $log" >&2
# fd 3 and 4 keep the caller's stderr and stdout while the build logs.
exec 3>&2 4>&1 2>"$log" >&2
rm -rf "$out" && mkdir -p "$out"
tar -C "$out" -xf "$tarball"
mv "$out/linux-source-6.12" "$out/src"
cd "$out/src"
make O="$out/build" KCONFIG_ALLCONFIG="$frag" allnoconfig
missing=0
while IFS= read -r line; do
	case "$line" in CONFIG_*) ;; *) continue ;; esac
	grep -qx "$line" "$out/build/.config" || { echo "config lost: $line" >&3; missing=1; }
done <"$frag"
[ "$missing" = 0 ] || { echo "vsc: config fragment did not apply" >&3; exit 1; }
nice make O="$out/build" -j"$(nproc)" bzImage modules
touch "$out/.done"
exec 2>&3 1>&4 3>&- 4>&-
echo "$out"
