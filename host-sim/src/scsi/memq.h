/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A back-end queue over a disk image in memory, for the tests and the
 * fuzzers: bios complete at once, or are held until vsp_memq_run() so that
 * a test sees commands in flight and completions out of order. It counts
 * flushes and FUA writes, and can fail every bio.
 */
#ifndef VSP_SCSI_MEMQ_H
#define VSP_SCSI_MEMQ_H

#include "bio.h"

struct vsp_memdisk {
	uint8_t *data;
	uint64_t size;
};

struct vsp_memq {
	struct vsp_bq q;
	bool defer;		/* hold bios until vsp_memq_run() */
	int fail;		/* 0, or the -errno every bio gets */
	struct vsp_bio_list held;
	uint32_t flushes, fua_writes, discards;
};

void vsp_memq_init(struct vsp_memq *m);
/* Completes the held bios, the newest first; returns how many. */
uint32_t vsp_memq_run(struct vsp_memq *m);
void vsp_memq_exit(struct vsp_memq *m);

#endif /* VSP_SCSI_MEMQ_H */
