#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms add + build of the suite for one kernel, in a private --dkmstree
# (never the host's), then modinfo of every built module.
# usage: tools/dkms-test.sh HEADERS_DIR
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
hdr=$1
kver=${hdr#/usr/src/linux-headers-}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/src/vsc-$ver" "$tmp/tree"
(cd "$top" && git ls-files -co --exclude-standard -- dkms.conf Kbuild Makefile \
	COPYING compat drivers include | tar -cT - | tar -x -C "$tmp/src/vsc-$ver")
opts=(--sourcetree "$tmp/src" --dkmstree "$tmp/tree")
dkms add -m vsc -v "$ver" "${opts[@]}"
dkms build -m vsc -v "$ver" -k "$kver" --kernelsourcedir "$hdr" "${opts[@]}"
n=0
for ko in "$tmp/tree/vsc/$ver/$kver"/*/module/*.ko*; do
	modinfo -F alias "$ko" | sed "s|^|$(basename "$ko"): alias |"
	n=$((n + 1))
done
want=$(grep -c '^BUILT_MODULE_NAME' "$top/dkms.conf")
[ "$n" = "$want" ] || { echo "dkms built $n modules, dkms.conf names $want"; exit 1; }
