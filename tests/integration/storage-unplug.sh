#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.1 6.12
# vm: --smp 2 --mem 1024 --disk a.img,size=64M --host tests/integration/storage-unplug.host
#
#   guest: ext4 on the synthetic disk, a writer running     vsp-sim (host
#          1. the driver unbound under it, bound again       half): rescinds
#          2. the host rescinds the controller under it     the controller,
#                                                           offers it again
#
# A disk that goes away under a mounted file system: I/O fails with an
# error (no hang, no kernel report), unmount works, and once the disk is
# back the file system written before is whole.
set -eu
. /vsc/lib.sh

fail() { echo "storage-unplug: $*"; exit 1; }
drv=/sys/bus/vsc_vmbus/drivers/vsc_storvsc

# The controller's disk, whatever sd name it got ("" while there is none:
# a disk that went away may keep its name a while, so the next one can
# get another).
disk() {
	for blk in /sys/block/sd*; do
		[ -e "$blk" ] && { basename "$blk"; return 0; }
	done
	return 0
}

wait_disk() {	# $1: present (sets $sd) or gone
	for _ in $(seq 300); do
		d=$(disk)
		if [ -n "$d" ]; then [ "$1" = present ] && { sd=/dev/$d; return 0; }
		else [ "$1" = gone ] && return 0
		fi
		sleep 0.2
	done
	fail "the disk never $1: $(ls /sys/block)"
}

# Mounts the disk, writes a file, keeps a writer running; then waits for the
# disk to go ($1 does it, or the host) and checks what a user would see.
unplug() {
	mount -t ext4 "$sd" /mnt
	head -c 4194304 /dev/urandom >/mnt/keep
	sha256sum /mnt/keep | cut -d' ' -f1 >/tmp/keep.sum
	sync
	(while dd if=/dev/zero of=/mnt/churn bs=64k count=16 conv=fsync 2>/dev/null; do :; done) &
	writer=$!
	echo "storage-unplug: ready"
	"$@"
	wait_disk gone
	# The writer stops on an error of its own, within 30 s.
	for _ in $(seq 150); do
		kill -0 "$writer" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$writer" 2>/dev/null; then
		kill "$writer"
		fail "the writer still runs after the disk went away"
	fi
	if dd if=/dev/zero of=/mnt/after bs=4k count=1 oflag=direct 2>/dev/null; then
		fail "a direct write succeeded on a disk that is gone"
	fi
	umount /mnt || fail "unmount failed after the disk went away"
	echo "storage-unplug: I/O failed cleanly, unmounted"
}

# Back: the journal replays, e2fsck finds it clean, the file is whole.
check_back() {
	wait_disk present
	mount -t ext4 "$sd" /mnt
	umount /mnt
	e2fsck -f -n "$sd" || fail "e2fsck found errors after $1"
	mount -t ext4 "$sd" /mnt
	[ "$(sha256sum /mnt/keep | cut -d' ' -f1)" = "$(cat /tmp/keep.sum)" ] ||
		fail "file changed across $1"
	umount /mnt
	echo "storage-unplug: whole after $1"
}

wait_disk present
mkfs.ext4 -q -F "$sd"
mkdir -p /mnt
dev=$(ls "$drv" | grep -- -)

unbind() { echo "$dev" >"$drv/unbind"; }
unplug unbind
echo "$dev" >"$drv/bind"
check_back "unbind and bind"

# The host rescinds once it reads "ready" a second time, then offers the
# controller again once the guest has let it go.
unplug true
check_back "rescind and offer"
echo "storage-unplug: ok"
