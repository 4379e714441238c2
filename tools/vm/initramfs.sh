#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the base initramfs of a test guest: busybox, kmod's tools, the real
# tools the tests use (with their libraries), the kernel's modules the tests
# need (stock kernels), the suite's modules under /lib/modules/KVER/extra,
# depmod run. The per-run script is appended by vsc-vm as a second archive.
#
# usage: initramfs.sh KVER MODTREE|- SUITE_MODULES_DIR OUT.cpio.gz
set -euo pipefail

kver=$1 modtree=$2 suite=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,vsc,lib/modules/"$kver"/extra}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$here/init" "$root/init"
cp "$here/mdev.conf" "$root/etc/mdev.conf"
cp "$here/lib.sh" "$root/vsc/lib.sh"

# Programs and every library they link, at their own paths.
add_prog() {
	local p lib
	p=$(command -v "$1") || { echo "initramfs: $1 missing" >&2; return 1; }
	mkdir -p "$root$(dirname "$p")"
	cp -L "$p" "$root$p"
	for lib in $(ldd "$p" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
add_prog kmod
for t in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf /usr/bin/kmod "$root/sbin/$t"
done
mkdir -p "$root/usr/bin" && mv "$root$(command -v kmod)" "$root/usr/bin/kmod" 2>/dev/null || true
for p in fio mkfs.ext4 e2fsck resize2fs sg_inq sg_readcap sg_luns sg_vpd sg_raw \
	sg_write_same lsscsi blkdiscard fstrim iperf3 ethtool ip kexec; do
	add_prog "$p"
done

# Kernel modules the tests need, with their dependencies (stock kernels
# build these as modules; the debug kernel builds them in).
if [ "$modtree" != - ]; then
	for m in ext4 sd_mod sg virtio_pci virtio_blk virtio_scsi virtio_net tun null_blk; do
		modprobe -d "$modtree" -S "$kver" --show-depends "$m" 2>/dev/null |
			sed -n 's/^insmod \([^ ]*\).*/\1/p'
	done | sort -u | while read -r ko; do
		rel=${ko#"$modtree"/}
		mkdir -p "$root/$(dirname "$rel")"
		cp "$ko" "$root/$rel"
	done
	cp "$modtree/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
		"$root/lib/modules/$kver/" 2>/dev/null || true
else
	touch "$root/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo}
fi
cp "$suite"/*.ko "$root/lib/modules/$kver/extra/"
depmod -b "$root" "$kver"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
