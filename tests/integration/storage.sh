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

# The controller binds and its two LUNs come up as sd disks: a, 512 B
# blocks, on LUN 0; b, 4 KiB blocks, on LUN 1.
for _ in $(seq 100); do
	vsc_lun_disk 0 >/dev/null && vsc_lun_disk 1 >/dev/null && break
	sleep 0.2
done
a=$(vsc_lun_disk 0) && b=$(vsc_lun_disk 1) || fail "disks did not appear: $(ls /sys/block)"
lsscsi

# Each check below is one unit of make check (vsc_unit, in lib.sh); a
# failed one fails the scenario at the end, the others still run.
queue_limits() {
	for d in "$a" "$b"; do
		q=/sys/block/$d/queue
		echo "$d: $(cat "$q/write_cache") fua $(cat "$q/fua") rotational $(cat "$q/rotational")" \
			"discard_max_bytes $(cat "$q/discard_max_bytes") max_hw_sectors_kb $(cat "$q/max_hw_sectors_kb")"
		[ "$(cat "$q/write_cache")" = "write back" ] || fail "$d: write_cache is not write back"
		[ "$(cat "$q/fua")" = 1 ] || fail "$d: no FUA"
		[ "$(cat "$q/rotational")" = 0 ] || fail "$d: rotational"
		[ "$(cat "$q/discard_max_bytes")" -gt 0 ] || fail "$d: no discard"
	done
	[ "$(cat /sys/block/$b/queue/logical_block_size)" = 4096 ] || fail "$b is not 4Kn"
}
vsc_unit queue-limits queue_limits

scsi_view() {
	# The SCSI view: capacity and block size, LBPME, VPD limits, every LUN.
	sg_readcap -l /dev/$a | tee /tmp/cap
	grep -q 'Logical block provisioning: lbpme=1' /tmp/cap || fail "$a: LBPME not set"
	grep -q 'Logical block length=512 bytes' /tmp/cap || fail "$a: block size"
	grep -q 'Device size: 201326592 bytes' /tmp/cap || fail "$a: size"
	sg_readcap -l /dev/$b | grep -q 'Logical block length=4096 bytes' || fail "$b: block size"
	sg_vpd --page=bl /dev/$a | tee /tmp/bl
	xfer=$(sed -n 's/.*Maximum transfer length: \([0-9]*\).*/\1/p' /tmp/bl)
	[ "$((xfer * 512 / 1024))" = "$(cat /sys/block/$a/queue/max_hw_sectors_kb)" ] ||
		fail "VPD max transfer $xfer blocks, max_hw_sectors_kb $(cat /sys/block/$a/queue/max_hw_sectors_kb)"
	sg_vpd --page=lbpv /dev/$a | tee /tmp/lbpv
	grep -q 'Unmap command supported (LBPU): 1' /tmp/lbpv || fail "no UNMAP in the LBP VPD page"
	luns=$(sg_luns /dev/$a | grep -c '^    [0-9a-f]\{16\}$' || true)
	[ "$luns" = 2 ] || fail "sg_luns lists $luns LUNs, want 2"
	sg_vpd --page=sn /dev/$a | sed -n 's/.*Unit serial number: //p' >/tmp/sn-a
	sg_vpd --page=sn /dev/$b | sed -n 's/.*Unit serial number: //p' >/tmp/sn-b
	[ -s /tmp/sn-a ] || fail "$a: no unit serial number"
	if cmp -s /tmp/sn-a /tmp/sn-b; then
		fail "$a and $b have the same serial number"
	fi
	echo "storage: serials $(cat /tmp/sn-a) $(cat /tmp/sn-b)"
}
vsc_unit scsi-view scsi_view

errors_and_residuals() {
	# Errors and short transfers reach the midlayer as the host said them: a
	# READ (10) past the end is a CHECK CONDITION with the sense the host gave;
	# an INQUIRY allowing 96 bytes into a 512-byte buffer moves the 36 bytes of
	# the disk's standard data (a residual of 476, not an error).
	if sg_raw -r 512 "/dev/$a" 28 00 7f ff ff f0 00 00 01 00 >/tmp/raw 2>&1; then
		cat /tmp/raw; fail "a read past the end succeeded"
	fi
	cat /tmp/raw
	grep -qi 'out of range' /tmp/raw || fail "no LBA out of range sense"
	sg_raw -r 512 "/dev/$a" 12 00 00 00 60 00 >/tmp/raw 2>&1 || { cat /tmp/raw; fail "INQUIRY failed"; }
	grep -q 'Received 36 bytes' /tmp/raw || { cat /tmp/raw; fail "INQUIRY residual wrong"; }
}
vsc_unit errors-residuals errors_and_residuals

# fio with verification on both raw disks, before a gets its file
# system: each job writes, then reads back and checks every block it wrote.
fio_run() {
	dev=$1 rw=$2 qd=$3 bs=$4
	fio --name=v --filename="$dev" --rw="$rw" --bsrange="$bs" --iodepth="$qd" \
		--ioengine=libaio --direct=1 --size=16M --verify=crc32c \
		--verify_fatal=1 --do_verify=1 --randrepeat=0 --eta=never --output=/tmp/fio.out ||
		{ cat /tmp/fio.out; fail "fio $rw qd $qd bs $bs on $dev failed"; }
	grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio reported errors"; }
	echo "storage: fio $rw qd $qd bs $bs on $dev: ok"
}
# make check: the two disks at queue depth 32 and one job at depth 1, 16
# MiB each; make check-full (vsc.full=1): randwrite and randrw at 1 and 32
# on both.
if grep -q 'vsc.full=1' /proc/cmdline; then
	for qd in 1 32; do
		for rw in randwrite randrw; do
			vsc_unit "fio-$rw-qd$qd-512b" fio_run "/dev/$a" "$rw" "$qd" 512-1m
			vsc_unit "fio-$rw-qd$qd-4kn" fio_run "/dev/$b" "$rw" "$qd" 4k-1m
		done
	done
else
	vsc_unit fio-randrw-qd32-512b fio_run "/dev/$a" randrw 32 512-1m
	vsc_unit fio-randrw-qd32-4kn fio_run "/dev/$b" randrw 32 4k-1m
	vsc_unit fio-randwrite-qd1-512b fio_run "/dev/$a" randwrite 1 512-1m
fi

# A burst of 32 reads submitted at once and reaped together: the channel
# holds many requests at a time (storage.after checks vsp-sim's peak).
burst() {
	fio --name=burst --filename="/dev/$b" --rw=randread --bs=4k --iodepth=32 \
		--iodepth_batch_submit=32 --iodepth_batch_complete_min=32 \
		--ioengine=libaio --direct=1 --size=16M --eta=never --output=/tmp/fio.out ||
		{ cat /tmp/fio.out; fail "fio burst failed"; }
	grep -q 'err= 0' /tmp/fio.out || { cat /tmp/fio.out; fail "fio burst reported errors"; }
}
vsc_unit queue-depth-burst burst

file_system() {
	# A file system: made, filled, checked, read back.
	mkfs.ext4 -q -F /dev/$a
	mkdir -p /mnt
	mount -t ext4 /dev/$a /mnt
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
	e2fsck -f -n /dev/$a || fail "e2fsck found errors"
	echo 3 >/proc/sys/vm/drop_caches
	mount -t ext4 /dev/$a /mnt
	(cd /mnt && sha256sum -c -s /tmp/sums) || fail "checksums differ after remount"
	cp /tmp/sums /mnt/SUMS
	umount /mnt
	echo "storage: file system checked"
}
vsc_unit ext4 file_system

discard() {
	# UNMAP by WRITE SAME (16) on the first MiB fio wrote: it reads back as
	# zeroes (LBPRZ); then the whole disk is discarded (storage.after finds
	# its image all holes).
	sg_write_same --16 --unmap --lba=0 --num=256 /dev/$b ||
		fail "WRITE SAME (16) with UNMAP failed"
	echo 1 >/sys/block/$b/device/rescan
	if ! dd if=/dev/$b bs=4096 count=256 iflag=direct 2>/dev/null |
		cmp -s -n 1048576 - /dev/zero; then
		fail "unmapped blocks do not read as zeroes"
	fi
	blkdiscard /dev/$b || fail "blkdiscard failed"
	echo "storage: discarded"
}
vsc_unit discard discard
vsc_units_done
echo "storage: ok"
