/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A SCSI direct-access disk (SPC-3, SBC-3) over a back-end queue (bio.h):
 * the commands Linux's sd driver uses, each checked against the disk's size
 * and the guest's buffer before any I/O, with CHECK CONDITION and fixed
 * sense for everything else. disk.c dispatches and moves data;
 * disk_info.c answers INQUIRY, READ CAPACITY, MODE SENSE and the rest that
 * need no back end.
 */
#ifndef VSP_SCSI_DISK_H
#define VSP_SCSI_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "bio.h"

#define VSP_SENSE_LEN		18	/* fixed format, as we build it */
#define VSP_SERIAL_MAX		20	/* VPD 0x80 characters */
/* Block limits: blocks of one WRITE SAME, of one UNMAP; descriptors. */
#define VSP_MAX_WS_BLOCKS	0x4000u
#define VSP_MAX_UNMAP_BLOCKS	0x400000u
#define VSP_MAX_UNMAP_DESC	64u

/*
 * Deliberate host bugs (vsp-sim --bug), each of which a storage test must
 * catch: a flush that returns without flushing, and a residual that claims
 * the whole buffer moved.
 */
#define VSP_DISK_BUG_SKIP_FLUSH		0x1
#define VSP_DISK_BUG_WRONG_RESIDUAL	0x2

struct vsp_disk_cfg {
	uint32_t lbs;		/* logical block: 512 or 4096 */
	uint32_t pbs;		/* physical block: lbs or 4096 (512e) */
	bool read_only;
	bool lbprz;		/* unmapped blocks read zeroes */
	bool can_unmap;		/* the back end punches holes */
	uint32_t max_xfer;	/* bytes per command (block limits) */
	char serial[VSP_SERIAL_MAX + 1];	/* printable ASCII */
	uint32_t bugs;		/* VSP_DISK_BUG_* */
};

struct vsp_disk {
	struct vsp_disk_cfg cfg;
	void *target;		/* the back end's image (bio.target) */
	uint64_t blocks;	/* capacity in logical blocks */
	uint64_t naa;		/* NAA 6 identifier from the serial */
};

/* Data direction of a command, as the transport says it. */
enum vsp_dir {
	VSP_DIR_NONE,
	VSP_DIR_IN,		/* device to guest */
	VSP_DIR_OUT,		/* guest to device */
	VSP_DIR_ANY,		/* the guest did not say */
};

struct vsp_scsi_cmd {
	/* In: the command and the guest's buffer (already mapped). */
	uint8_t cdb[16];
	uint8_t cdb_len;
	enum vsp_dir dir;
	struct iovec *iov;
	uint32_t iovcnt;
	uint32_t xfer_len;	/* bytes of iov */
	void (*done)(struct vsp_scsi_cmd *cmd);
	void *priv;
	/* Out, when done runs. */
	uint8_t status;		/* SCSI status byte */
	uint8_t sense_len;
	uint8_t sense[VSP_SENSE_LEN];
	uint32_t transferred;	/* bytes moved, <= xfer_len */
	/* Private to disk.c while the command runs. */
	struct vsp_disk *disk;
	uint32_t pending;
	int err;
	bool err_read;
	struct vsp_bio bio;	/* a single I/O */
	struct vsp_bio *bios;	/* several (UNMAP, WRITE SAME) */
	void *buf;		/* bytes those bios use */
};

/*
 * Sets up @d for an image of @size bytes; a size that is not a multiple of
 * the block size is rounded down. Returns -EINVAL for a bad configuration.
 */
int vsp_disk_init(struct vsp_disk *d, const struct vsp_disk_cfg *cfg,
		  void *target, uint64_t size);

/* Runs @cmd on @d; cmd->done runs exactly once, maybe before this returns. */
void vsp_disk_submit(struct vsp_disk *d, struct vsp_bq *q,
		     struct vsp_scsi_cmd *cmd);

/* Helpers shared by disk.c, disk_info.c and the VSTOR server. */
void vsp_scsi_check(struct vsp_scsi_cmd *cmd, uint8_t key, uint16_t asc);
void vsp_scsi_good(struct vsp_scsi_cmd *cmd);
/* Returns @len bytes of @buf, cut to the guest's buffer and @alloc. */
void vsp_scsi_data_in(struct vsp_scsi_cmd *cmd, const void *buf, uint32_t len,
		      uint32_t alloc);
/* Answers a command that needs no back end; false if it is not one. */
bool vsp_disk_info(struct vsp_disk *d, struct vsp_scsi_cmd *cmd);
/* REPORT LUNS for the @n LUN numbers in @luns. */
void vsp_scsi_report_luns(struct vsp_scsi_cmd *cmd, const uint16_t *luns,
			  uint32_t n);
/* FNV-1a of @s from @seed: identifiers stable for a serial. */
#define VSP_HASH_SEED		0xcbf29ce484222325ull
uint64_t vsp_scsi_hash(const char *s, uint64_t seed);
/* INQUIRY for a LUN with no disk: peripheral qualifier 3. */
void vsp_scsi_no_lun(struct vsp_scsi_cmd *cmd);

static inline uint16_t vsp_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t vsp_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t vsp_get_be64(const uint8_t *p)
{
	return (uint64_t)vsp_get_be32(p) << 32 | vsp_get_be32(p + 4);
}

static inline void vsp_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void vsp_put_be32(uint8_t *p, uint32_t v)
{
	vsp_put_be16(p, (uint16_t)(v >> 16));
	vsp_put_be16(p + 2, (uint16_t)v);
}

static inline void vsp_put_be64(uint8_t *p, uint64_t v)
{
	vsp_put_be32(p, (uint32_t)(v >> 32));
	vsp_put_be32(p + 4, (uint32_t)v);
}

#endif /* VSP_SCSI_DISK_H */
