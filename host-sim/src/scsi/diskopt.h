/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A disk as the user names it: --disk PATH[,OPTION...], and opening it.
 * Options: ro, direct (O_DIRECT where aligned), bs=512|4096 (logical
 * block), pbs=512|4096 (physical block; 512e is bs=512,pbs=4096),
 * serial=TEXT (at most 20 printable characters; default: from the
 * image's real path), target=0|1 and lun=0..254 (default: the next free
 * address). A comma in PATH is written twice, as QEMU does.
 */
#ifndef VSP_SCSI_DISKOPT_H
#define VSP_SCSI_DISKOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disk.h"
#include "uring.h"

#define VSP_DISK_PATH_MAX	4096

struct vsp_disk_spec {
	char path[VSP_DISK_PATH_MAX];
	bool read_only;
	bool direct;
	uint32_t lbs, pbs;
	char serial[VSP_SERIAL_MAX + 1];	/* "": derive from the path */
	int target, lun;			/* -1: the next free */
};

/* Parses @arg; -EINVAL with a reason in @err (@errlen bytes) if bad. */
int vsp_disk_spec_parse(const char *arg, struct vsp_disk_spec *s, char *err,
			size_t errlen);

/*
 * Opens the image of @s into @f and sets up @d over it, with at most
 * @max_xfer bytes a command; 0 or -errno.
 */
int vsp_disk_open(const struct vsp_disk_spec *s, uint32_t max_xfer,
		  struct vsp_file *f, struct vsp_disk *d);

#endif /* VSP_SCSI_DISKOPT_H */
