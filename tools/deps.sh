#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian packages the build and the tests need, when missing.
# usage: tools/deps.sh [--print]
set -euo pipefail

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio xz-utils kmod
	linux-headers-amd64 linux-headers-6.12-amd64 linux-source-6.12
	clang llvm lld libclang-rt-14-dev
	sparse dkms libcmocka-dev liburing-dev shellcheck
	qemu-system-x86 busybox-static
	fio e2fsprogs sg3-utils lsscsi iperf3 ethtool iproute2 kexec-tools
)

if [ "${1:-}" = --print ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "vsc: installing ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "vsc: run as root, or install these packages first" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# kexec-tools is for the guests' initramfs: the host's own reboots stay as
# they were (its package would otherwise kexec them by default).
echo 'kexec-tools kexec-tools/load_kexec boolean false' | debconf-set-selections
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
