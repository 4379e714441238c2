/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage class (stor.c): one synthetic SCSI controller whose LUNs are
 * the disks of the command line, set up once before any guest connects.
 */
#ifndef VSP_DEV_STOR_H
#define VSP_DEV_STOR_H

#include "host.h"
#include "scsi/diskopt.h"
#include "scsi/uring.h"
#include "scsi/vstor.h"

/* The most one command moves: what the properties tell the guest. */
#define VSP_STOR_MAX_XFER	(2u * 1024 * 1024)
/* Disks on the controller at most (vsp-sim's limit, not VSTOR's). */
#define VSP_STOR_MAX_DISKS	16

struct vsp_stor_ctrl {
	struct vsp_vstor v;
	struct vsp_host *h;
	struct vsp_dev_chan *primary;	/* open primary, its worker's own */
	unsigned int n;
	struct {
		struct vsp_file file;
		struct vsp_disk disk;
	} d[];
};

/* The class's settings (dev.h: VSP_DEV_CFG_BYTES at most). */
struct vsp_stor_cfg {
	struct vsp_stor_ctrl *ctrl;	/* NULL: no disks, no device */
	uint32_t stall_ms;		/* ctl "stall": the next packet waits */
};

int vsp_stor_setup(struct vsp_stor_cfg *cfg, struct vsp_host *h,
		   const struct vsp_disk_spec *specs, unsigned int n);
void vsp_stor_teardown(struct vsp_stor_cfg *cfg);

#endif /* VSP_DEV_STOR_H */
