#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: 6.12 6.1
# check: every kernel
# vm: --smp 2 --mem 1024 --kexec --disk a.img,size=64M --disk b.img,size=64M
# stats: ^vmbus_unloads 2$
#
#   guest, first kernel: reads both disks' identities,     vsp-sim: UNLOAD
#       ext4 made and filled, kexec -e with reads in flight answered once
#   guest, second kernel: the same identities, the file     the reads in
#       system clean and its file intact                    flight finished
#
# The storage smoke of the stock kernels. Two boots on the same images see
# the same VPD 0x80 and 0x83 identities, and the two images differ. The first kernel reboots by kexec while it
# reads: vsp-sim answers the UNLOAD only after every back-end I/O finished,
# so nothing lands in the second kernel's memory. The debug kernel has no
# kexec; the stock kernels do.
set -eu
. /vsc/lib.sh

fail() { echo "storage-kexec: $*"; exit 1; }

# "SERIAL/NAA" of LUN $1: the unit serial number and the NAA designator.
ident() {
	d=/dev/$(vsc_lun_disk "$1")
	sn=$(sg_vpd --page=sn "$d" | sed -n 's/.*Unit serial number: //p')
	naa=$(sg_vpd --page=di "$d" | sed -n 's/^ *\(0x[0-9a-f]\{16,32\}\)$/\1/p' | head -n1)
	if [ -z "$sn" ] || [ -z "$naa" ]; then
		sg_vpd --page=di "$d" >&2
		fail "LUN $1: serial '$sn', NAA '$naa'" >&2
	fi
	echo "$sn/$naa"
}

for _ in $(seq 100); do
	vsc_lun_disk 0 >/dev/null && vsc_lun_disk 1 >/dev/null && break
	sleep 0.2
done
vsc_lun_disk 0 >/dev/null && vsc_lun_disk 1 >/dev/null || fail "disks did not appear"
ids="$(ident 0),$(ident 1)"
echo "storage-kexec: identities $ids"
[ "${ids%,*}" != "${ids#*,}" ] || fail "the two images have one identity"

if grep -q 'vsc.stage=2' /proc/cmdline; then
	before=$(sed -n 's/.*vsc.ids=\([^ ]*\).*/\1/p' /proc/cmdline)
	[ "$ids" = "$before" ] || fail "identities changed across the reboot: $before, now $ids"
	want=$(sed -n 's/.*vsc.sum=\([^ ]*\).*/\1/p' /proc/cmdline)
	a=/dev/$(vsc_lun_disk 0)
	e2fsck -f -n "$a" || fail "e2fsck found errors after the reboot"
	mkdir -p /mnt
	mount -t ext4 "$a" /mnt
	got=$(sha256sum /mnt/pattern | cut -d' ' -f1)
	umount /mnt
	[ "$got" = "$want" ] || fail "the file changed across the reboot"
	echo "storage-kexec: ok"
	exit 0
fi

# A file system smoke: made, filled, unmounted, checked.
a=/dev/$(vsc_lun_disk 0)
mkfs.ext4 -q -F "$a"
mkdir -p /mnt
mount -t ext4 "$a" /mnt
head -c 16777216 /dev/urandom >/mnt/pattern
sum=$(sha256sum /mnt/pattern | cut -d' ' -f1)
umount /mnt
e2fsck -f -n "$a" || fail "e2fsck found errors"
kexec -l /vsc/vmlinuz --initrd=/vsc/initrd \
	--command-line="$(cat /proc/cmdline) vsc.stage=2 vsc.ids=$ids vsc.sum=$sum"
# Reads in flight on both disks while the kernel goes.
for l in 0 1; do
	(while :; do dd if="/dev/$(vsc_lun_disk $l)" of=/dev/null bs=1M iflag=direct 2>/dev/null; done) &
done
sleep 1
echo "storage-kexec: into the second kernel"
kexec -e
echo "kexec -e returned"
exit 1
