#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpacks Debian's stock kernel image package matching the installed
# headers of a series (6.1 or 6.12) into the cache, without installing it:
# no initramfs or bootloader hooks run on this host. Prints the folder,
# which holds boot/vmlinuz-KVER, lib/modules/KVER and a file "kver".
#
# usage: tools/kernel/stock.sh 6.1|6.12
set -euo pipefail

series=$1
cache=${VSC_CACHE:-/var/cache/vsc}
hdr=$(ls -d /usr/src/linux-headers-"$series".*-amd64 2>/dev/null |
	grep -v -e cloud -e rt- | sort -V | tail -n1)
[ -n "$hdr" ] || { echo "no linux-headers for $series (tools/deps.sh)" >&2; exit 1; }
kver=${hdr#/usr/src/linux-headers-}
out=$cache/stock/$kver
mkdir -p "$cache/stock"
exec 8>"$cache/stock/.lock-$kver"
flock 8
if [ ! -f "$out/.done" ]; then
	rm -rf "$out" && mkdir -p "$out/deb"
	(cd "$out/deb" && apt-get download -q "linux-image-$kver" >&2)
	dpkg-deb -x "$out"/deb/*.deb "$out"
	rm -rf "$out/deb"
	depmod -b "$out" "$kver"
	echo "$kver" >"$out/kver"
	touch "$out/.done"
fi
echo "$out"
