// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the disk's CDB dispatcher (src/scsi/disk*.c) on any
 * command with any buffer. The input is a header (configuration, direction,
 * CDB length, where the buffer splits) and 16 CDB bytes, then the guest's
 * buffer, copied to a heap block of exactly its size so that ASan sees any
 * access past it. The back end is the memory queue, completing at once or
 * later. Whatever the command, it must finish exactly once, move no more
 * than the buffer holds, and fail with fixed sense of at most 20 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vsc/scsi.h>

#include "scsi/disk.h"
#include "scsi/memq.h"

#define HDR		20
#define IMG_BYTES	(64 * 4096)
#define MAX_BUF		(256 * 1024)

static uint8_t img[IMG_BYTES];

/* Operation codes the disk knows, so that most inputs reach one. */
static const uint8_t known[] = {
	0x00, 0x03, 0x08, 0x0a, 0x12, 0x1a, 0x1b, 0x25, 0x28, 0x2a, 0x35, 0x42,
	0x5a, 0x88, 0x8a, 0x91, 0x93, 0x9e, 0xa0, 0xa8, 0xaa,
};
static const uint8_t glen[8] = { 6, 10, 10, 16, 16, 12, 16, 16 };
static int done;

static void cmd_done(struct vsp_scsi_cmd *c)
{
	(void)c;
	done++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsp_disk_cfg cfg = { .max_xfer = 128 * 1024, .serial = "FUZZ" };
	struct vsp_memdisk md = { img, IMG_BYTES };
	struct vsp_scsi_cmd c;
	struct vsp_memq mq;
	struct vsp_disk d;
	struct iovec iov[2];
	uint8_t *buf;
	size_t len, split;

	if (size < HDR)
		return 0;
	cfg.lbs = data[0] & 1 ? 4096 : 512;
	cfg.pbs = data[0] & 2 ? 4096 : cfg.lbs;
	cfg.read_only = data[0] & 4;
	cfg.lbprz = data[0] & 8;
	cfg.can_unmap = data[0] & 16;
	/* images of any size up to 64 pages, not always whole blocks */
	if (vsp_disk_init(&d, &cfg, &md, IMG_BYTES - (data[1] & 0x3f) * 1000))
		return 0;
	vsp_memq_init(&mq);
	mq.defer = data[0] & 32;
	mq.fail = data[0] & 64 ? -5 : 0;
	len = size - HDR;
	if (len > MAX_BUF)
		len = MAX_BUF;
	buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, data + HDR, len);
	split = ((size_t)data[2] << 8 | data[3]) % (len + 1);
	iov[0] = (struct iovec){ buf, split };
	iov[1] = (struct iovec){ buf + split, len - split };
	memset(&c, 0, sizeof(c));
	memcpy(c.cdb, data + 4, 16);
	if (data[3] & 1)
		c.cdb[0] = known[c.cdb[0] % sizeof(known)];
	c.cdb_len = data[1] >> 6 == 3 ? 16 : (uint8_t)(6 + 4 * (data[1] >> 6));
	if (data[3] & 1)	/* as long as its group needs */
		c.cdb_len = glen[c.cdb[0] >> 5];
	c.dir = (enum vsp_dir)(data[0] >> 7 | (data[2] & 0x80) >> 6);
	c.iov = iov;
	c.iovcnt = 2;
	c.xfer_len = (uint32_t)len;
	c.done = cmd_done;
	done = 0;
	vsp_disk_submit(&d, &mq.q, &c);
	vsp_memq_exit(&mq);
	if (done != 1 || c.transferred > c.xfer_len)
		abort();
	if (c.status == VSC_SCSI_STATUS_CHECK_CONDITION) {
		if (c.sense_len > 20 || c.sense[0] != 0x70 || c.transferred)
			abort();
	} else if (c.status != VSC_SCSI_STATUS_GOOD || c.sense_len) {
		abort();
	}
	free(buf);
	return 0;
}
