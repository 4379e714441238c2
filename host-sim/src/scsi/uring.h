/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw back end: an image file or block device (struct vsp_file),
 * served through one io_uring per channel worker (struct vsp_uring, a
 * struct vsp_bq). Reads and writes go through O_DIRECT when asked and the
 * bio is aligned to the file's direct-I/O alignment, else through the page
 * cache; a FUA write is a RWF_DSYNC write, a flush an fdatasync, a discard
 * a punched hole (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE), so that a
 * completion means what it says: O_DIRECT alone is not durable.
 *
 * Completions are signalled on an eventfd (vsp_uring_fd()) that the worker
 * polls; vsp_uring_reap() then runs each finished bio's done callback on
 * the worker's thread. No disk I/O ever runs on the caller's thread.
 */
#ifndef VSP_SCSI_URING_H
#define VSP_SCSI_URING_H

#include <liburing.h>

#include "bio.h"

struct vsp_file {
	int fd;			/* through the page cache */
	int dfd;		/* O_DIRECT, or -1 */
	uint32_t dio_align;	/* memory, offset and length alignment */
	uint64_t size;		/* bytes */
	bool read_only;
	bool is_blk;
	bool can_punch;		/* holes can be punched, and read zeroes */
};

/* Opens @path; @direct asks for O_DIRECT where the file allows it. */
int vsp_file_open(struct vsp_file *f, const char *path, bool read_only,
		  bool direct);
void vsp_file_close(struct vsp_file *f);
/*
 * A serial number for an image that stays the same for the same path and
 * differs between two: "VSC" and 16 hex digits of a hash of its real path.
 */
int vsp_file_serial(const char *path, char serial[21]);

struct vsp_uring {
	struct vsp_bq q;
	struct io_uring ring;
	int efd;
	uint32_t depth;		/* bios in the kernel at most */
	uint32_t inflight;	/* in the kernel now */
	uint32_t peak;		/* the most ever in the kernel */
	struct vsp_bio_list wait;	/* waiting for room, oldest first */
};

int vsp_uring_init(struct vsp_uring *u, uint32_t depth);
/* Readable when completions wait to be reaped. */
static inline int vsp_uring_fd(const struct vsp_uring *u)
{
	return u->efd;
}
/* Runs the done callbacks of every finished bio; returns how many. */
uint32_t vsp_uring_reap(struct vsp_uring *u);
/* Bios not yet done (in the kernel or waiting for room). */
static inline uint32_t vsp_uring_busy(const struct vsp_uring *u)
{
	return u->inflight + u->wait.n;
}
/* Blocks until every bio is done (a channel's close, UNLOAD). */
void vsp_uring_drain(struct vsp_uring *u);
void vsp_uring_exit(struct vsp_uring *u);

#endif /* VSP_SCSI_URING_H */
