#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --mem 1024 --disk a.img,size=192M --disk b.img,size=96M,bs=4096 --after tests/integration/storage.after
#
#   guest: vsc_storvsc -> sd -> ext4, fio     vsp-sim: storage class, two
#                                             LUNs on raw images (512 B and
#                                             4 KiB logical blocks)
#
# The synthetic disk carries real work: a file system made, filled, checked
# and read back; fio with crc32c verification at queue depth 1 and 32 over
# block sizes 512 B..1 MiB (4 KiB..1 MiB on the 4Kn disk); discard; and the
# SCSI view the host gives (capacity, VPD pages, LUNs). storage.after then
# reads the file system's files out of the image on the host.
set -eu
. /vsc/lib.sh

fail() { echo "storage: $*"; exit 1; }

# The controller binds and its two LUNs come up as sd disks.
for _ in $(seq 100); do
	[ -b /dev/sda ] && [ -b /dev/sdb ] && break
	sleep 0.2
done
[ -b /dev/sda ] && [ -b /dev/sdb ] || fail "disks did not appear: $(ls /sys/block)"
lsscsi
for d in sda sdb; do
	q=/sys/block/$d/queue
	echo "$d: $(cat "$q/write_cache") fua $(cat "$q/fua") rotational $(cat "$q/rotational")" \
		"discard_max_bytes $(cat "$q/discard_max_bytes") max_hw_sectors_kb $(cat "$q/max_hw_sectors_kb")"
	[ "$(cat "$q/write_cache")" = "write back" ] || fail "$d: write_cache is not write back"
	[ "$(cat "$q/fua")" = 1 ] || fail "$d: no FUA"
	[ "$(cat "$q/rotational")" = 0 ] || fail "$d: rotational"
	[ "$(cat "$q/discard_max_bytes")" -gt 0 ] || fail "$d: no discard"
done
[ "$(cat /sys/block/sdb/queue/logical_block_size)" = 4096 ] || fail "sdb is not 4Kn"

# The SCSI view: capacity and block size, LBPME, VPD limits, every LUN.
sg_readcap -l /dev/sda | tee /tmp/cap
grep -q 'Logical block provisioning: lbpme=1' /tmp/cap || fail "sda: LBPME not set"
grep -q 'Logical block length=512 bytes' /tmp/cap || fail "sda: block size"
grep -q 'Device size: 201326592 bytes' /tmp/cap || fail "sda: size"
sg_readcap -l /dev/sdb | grep -q 'Logical block length=4096 bytes' || fail "sdb: block size"
sg_vpd --page=bl /dev/sda | tee /tmp/bl
xfer=$(sed -n 's/.*Maximum transfer length: \([0-9]*\).*/\1/p' /tmp/bl)
[ "$((xfer * 512 / 1024))" = "$(cat /sys/block/sda/queue/max_hw_sectors_kb)" ] ||
	fail "VPD max transfer $xfer blocks, max_hw_sectors_kb $(cat /sys/block/sda/queue/max_hw_sectors_kb)"
sg_vpd --page=lbpv /dev/sda | tee /tmp/lbpv
grep -q 'Unmap command supported (LBPU): 1' /tmp/lbpv || fail "no UNMAP in the LBP VPD page"
luns=$(sg_luns /dev/sda | grep -c '^    [0-9a-f]\{16\}$' || true)
[ "$luns" = 2 ] || fail "sg_luns lists $luns LUNs, want 2"
sg_vpd --page=sn /dev/sda | sed -n 's/.*Unit serial number: //p' >/tmp/sn-a
sg_vpd --page=sn /dev/sdb | sed -n 's/.*Unit serial number: //p' >/tmp/sn-b
[ -s /tmp/sn-a ] || fail "sda: no unit serial number"
if cmp -s /tmp/sn-a /tmp/sn-b; then
	fail "sda and sdb have the same serial number"
fi
echo "storage: serials $(cat /tmp/sn-a) $(cat /tmp/sn-b)"

# fio with verification on both raw disks, before sda gets its file
# system: each job writes, then reads back and checks every block it wrote.
fio_run() {
	dev=$1 rw=$2 qd=$3 bs=$4
	fio --name=v --filename="$dev" --rw="$rw" --bsrange="$bs" --iodepth="$qd" \
		--ioengine=libaio --direct=1 --size=16M --verify=crc32c \
		--verify_fatal=1 --do_verify=1 --randrepeat=0 --output=/tmp/fio.out ||
		{ cat /tmp/fio.out; fail "fio $rw qd $qd bs $bs on $dev failed"; }
	grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio reported errors"; }
	echo "storage: fio $rw qd $qd bs $bs on $dev: ok"
}
for qd in 1 32; do
	for rw in randwrite randrw; do
		fio_run /dev/sda "$rw" "$qd" 512-1m
		fio_run /dev/sdb "$rw" "$qd" 4k-1m
	done
done

# A file system: made, filled, checked, read back.
mkfs.ext4 -q -F /dev/sda
mkdir -p /mnt
mount -t ext4 /dev/sda /mnt
mkdir /mnt/many
i=0
while [ $i -lt 300 ]; do
	head -c $((i * 37 + 1)) /dev/urandom >/mnt/many/f$i
	i=$((i + 1))
done
head -c $((48 * 1024 * 1024)) /dev/urandom >/mnt/big
(cd /mnt && find . -type f | sort | xargs sha256sum) >/tmp/sums
sync
umount /mnt
e2fsck -f -n /dev/sda || fail "e2fsck found errors"
echo 3 >/proc/sys/vm/drop_caches
mount -t ext4 /dev/sda /mnt
(cd /mnt && sha256sum -c -s /tmp/sums) || fail "checksums differ after remount"
cp /tmp/sums /mnt/SUMS
umount /mnt
echo "storage: file system checked"

# UNMAP by WRITE SAME (16) on the first MiB fio wrote: it reads back as
# zeroes (LBPRZ); then the whole disk is discarded (storage.after finds
# its image all holes).
sg_write_same --16 --unmap --lba=0 --num=256 /dev/sdb ||
	fail "WRITE SAME (16) with UNMAP failed"
echo 1 >/sys/block/sdb/device/rescan
if ! dd if=/dev/sdb bs=4096 count=256 iflag=direct 2>/dev/null |
	cmp -s -n 1048576 - /dev/zero; then
	fail "unmapped blocks do not read as zeroes"
fi
blkdiscard /dev/sdb || fail "blkdiscard failed"
echo "storage: discarded"
echo "storage: ok"
