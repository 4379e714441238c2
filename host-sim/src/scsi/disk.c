// SPDX-License-Identifier: GPL-2.0
/*
 * The disk's dispatcher and its commands that go to the back end: READ and
 * WRITE 6/10/12/16 (FUA on 10/12/16), SYNCHRONIZE CACHE 10/16, UNMAP and
 * WRITE SAME 16. Everything the CDB names is checked against the disk
 * (range, read-only, limits) and the guest's buffer (direction, length)
 * before a bio is issued; a command's bios complete in any order and the
 * last one finishes the command.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vsc/scsi.h>

#include "disk.h"

#define VSP_WS_CHUNK	(1u << 20)	/* bytes of one WRITE SAME bio */

int vsp_disk_init(struct vsp_disk *d, const struct vsp_disk_cfg *cfg,
		  void *target, uint64_t size)
{
	size_t slen = strnlen(cfg->serial, sizeof(cfg->serial));

	if (cfg->lbs != 512 && cfg->lbs != 4096)
		return -EINVAL;
	if (cfg->pbs != cfg->lbs && cfg->pbs != 4096)
		return -EINVAL;
	if (cfg->max_xfer < cfg->lbs || cfg->max_xfer % cfg->lbs)
		return -EINVAL;
	if (!slen || slen > VSP_SERIAL_MAX)
		return -EINVAL;
	for (size_t i = 0; i < slen; i++)
		if (cfg->serial[i] < 0x20 || cfg->serial[i] > 0x7e)
			return -EINVAL;
	if (size / cfg->lbs == 0)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	d->target = target;
	d->blocks = size / cfg->lbs;
	d->naa = vsp_scsi_hash(d->cfg.serial, VSP_HASH_SEED);
	return 0;
}

static void vsp_finish(struct vsp_scsi_cmd *cmd)
{
	if (cmd->disk->cfg.bugs & VSP_DISK_BUG_WRONG_RESIDUAL &&
	    cmd->status == VSC_SCSI_STATUS_GOOD)
		cmd->transferred = cmd->xfer_len;
	free(cmd->bios);
	free(cmd->buf);
	cmd->bios = NULL;
	cmd->buf = NULL;
	cmd->done(cmd);
}

static void vsp_bio_done(struct vsp_bio *bio)
{
	struct vsp_scsi_cmd *cmd = bio->priv;

	if (bio->res && !cmd->err) {
		cmd->err = bio->res;
		cmd->err_read = bio->op == VSP_BIO_READ;
	}
	if (--cmd->pending)
		return;
	if (cmd->err)
		vsp_scsi_check(cmd, VSC_SENSE_MEDIUM_ERROR, cmd->err_read ?
			       VSC_ASC_READ_ERROR : VSC_ASC_WRITE_ERROR);
	vsp_finish(cmd);
}

static void vsp_bio_init(struct vsp_scsi_cmd *cmd, struct vsp_bio *bio,
			 enum vsp_bio_op op, uint64_t off, uint64_t len)
{
	memset(bio, 0, sizeof(*bio));
	bio->op = op;
	bio->target = cmd->disk->target;
	bio->off = off;
	bio->len = len;
	bio->done = vsp_bio_done;
	bio->priv = cmd;
}

/* Issues cmd->bio, or the @n bios in cmd->bios. */
static void vsp_issue(struct vsp_bq *q, struct vsp_scsi_cmd *cmd, uint32_t n)
{
	vsp_scsi_good(cmd);
	if (!cmd->bios) {
		cmd->pending = 1;
		q->submit(q, &cmd->bio);
		return;
	}
	/* One extra count, so that no bio finishes the command mid-loop. */
	cmd->pending = n + 1;
	for (uint32_t i = 0; i < n; i++)
		q->submit(q, &cmd->bios[i]);
	vsp_bio_done(&(struct vsp_bio){ .priv = cmd });
}

/* Cuts the command's iovecs to @len bytes (len <= xfer_len). */
static uint32_t vsp_iov_cut(struct vsp_scsi_cmd *cmd, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < cmd->iovcnt && len; i++) {
		if (cmd->iov[i].iov_len > len)
			cmd->iov[i].iov_len = len;
		len -= cmd->iov[i].iov_len;
	}
	return i;
}

/* False (and the command failed) if LBA and count leave the disk. */
static bool vsp_range_ok(struct vsp_scsi_cmd *cmd, uint64_t lba, uint64_t n)
{
	if (lba > cmd->disk->blocks || n > cmd->disk->blocks - lba) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_LBA_OUT_OF_RANGE);
		return false;
	}
	return true;
}

static bool vsp_writable(struct vsp_scsi_cmd *cmd)
{
	if (cmd->disk->cfg.read_only) {
		vsp_scsi_check(cmd, VSC_SENSE_DATA_PROTECT,
			       VSC_ASC_WRITE_PROTECTED);
		return false;
	}
	return true;
}

static void vsp_rw(struct vsp_bq *q, struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;
	struct vsp_disk *d = cmd->disk;
	bool wr = false, fua = false;
	uint64_t lba, n, bytes;

	switch (c[0]) {
	case VSC_SCSI_WRITE_6:
		wr = true;
		/* fallthrough */
	case VSC_SCSI_READ_6:
		lba = (uint32_t)(c[1] & 0x1f) << 16 | vsp_get_be16(c + 2);
		n = c[4] ? c[4] : 256;
		break;
	case VSC_SCSI_WRITE_10:
		wr = true;
		/* fallthrough */
	case VSC_SCSI_READ_10:
		lba = vsp_get_be32(c + 2);
		n = vsp_get_be16(c + 7);
		fua = c[1] & 0x08;
		break;
	case VSC_SCSI_WRITE_12:
		wr = true;
		/* fallthrough */
	case VSC_SCSI_READ_12:
		lba = vsp_get_be32(c + 2);
		n = vsp_get_be32(c + 6);
		fua = c[1] & 0x08;
		break;
	case VSC_SCSI_WRITE_16:
		wr = true;
		/* fallthrough */
	default:
		lba = vsp_get_be64(c + 2);
		n = vsp_get_be32(c + 10);
		fua = c[1] & 0x08;
		break;
	}
	if (!vsp_range_ok(cmd, lba, n) || (wr && !vsp_writable(cmd)))
		goto out;
	bytes = n * d->cfg.lbs;
	if (bytes > d->cfg.max_xfer || bytes > cmd->xfer_len ||
	    (bytes && cmd->dir != (wr ? VSP_DIR_OUT : VSP_DIR_IN) &&
	     cmd->dir != VSP_DIR_ANY)) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		goto out;
	}
	if (!bytes) {
		vsp_scsi_good(cmd);
		goto out;
	}
	vsp_bio_init(cmd, &cmd->bio, wr ? VSP_BIO_WRITE : VSP_BIO_READ,
		     lba * d->cfg.lbs, bytes);
	cmd->bio.fua = wr && fua;
	cmd->bio.iov = cmd->iov;
	cmd->bio.iovcnt = vsp_iov_cut(cmd, bytes);
	cmd->transferred = (uint32_t)bytes;
	vsp_issue(q, cmd, 1);
	return;
out:
	vsp_finish(cmd);
}

static void vsp_sync(struct vsp_bq *q, struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;
	uint64_t lba, n;

	if (c[0] == VSC_SCSI_SYNCHRONIZE_CACHE_10) {
		lba = vsp_get_be32(c + 2);
		n = vsp_get_be16(c + 7);
	} else {
		lba = vsp_get_be64(c + 2);
		n = vsp_get_be32(c + 10);
	}
	/* 0 blocks: to the end of the disk. The whole file is synced. */
	if (!vsp_range_ok(cmd, lba, n) ||
	    (cmd->disk->cfg.bugs & VSP_DISK_BUG_SKIP_FLUSH)) {
		vsp_finish(cmd);
		return;
	}
	vsp_bio_init(cmd, &cmd->bio, VSP_BIO_FLUSH, 0, 0);
	vsp_issue(q, cmd, 1);
}

/* Allocates @n bios for the command; false (and failed) if out of memory. */
static bool vsp_bios(struct vsp_scsi_cmd *cmd, uint32_t n)
{
	cmd->bios = calloc(n, sizeof(*cmd->bios));
	if (!cmd->bios) {
		vsp_scsi_check(cmd, VSC_SENSE_HARDWARE_ERROR,
			       VSC_ASC_INTERNAL_TARGET_FAILURE);
		return false;
	}
	return true;
}

static void vsp_unmap(struct vsp_bq *q, struct vsp_scsi_cmd *cmd)
{
	struct vsp_disk *d = cmd->disk;
	uint32_t plen = vsp_get_be16(cmd->cdb + 7), nd, i, k = 0;
	uint8_t p[8 + 16 * VSP_MAX_UNMAP_DESC];
	uint64_t total = 0;

	if (!d->cfg.can_unmap) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_OPCODE);
		goto out;
	}
	if (!vsp_writable(cmd))
		goto out;
	if (cmd->cdb[1] & 1) {				/* ANCHOR */
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		goto out;
	}
	if (!plen) {
		vsp_scsi_good(cmd);
		goto out;
	}
	if (plen < 8 || plen > cmd->xfer_len) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_PARAM_LIST_LENGTH);
		goto out;
	}
	memset(p, 0, sizeof(p));
	vsp_iov_to_buf(cmd->iov, cmd->iovcnt, p, plen < sizeof(p) ? plen : sizeof(p));
	nd = vsp_get_be16(p + 2);
	if (nd > plen - 8 || vsp_get_be16(p) < nd + 6 || nd % 16) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_PARAM_LIST_LENGTH);
		goto out;
	}
	nd /= 16;
	if (nd > VSP_MAX_UNMAP_DESC) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_PARAM);
		goto out;
	}
	for (i = 0; i < nd; i++) {
		uint64_t lba = vsp_get_be64(p + 8 + 16 * i);
		uint32_t n = vsp_get_be32(p + 16 + 16 * i);

		if (!vsp_range_ok(cmd, lba, n))
			goto out;
		total += n;
		k += n != 0;
	}
	if (total > VSP_MAX_UNMAP_BLOCKS) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_PARAM);
		goto out;
	}
	if (!k) {
		vsp_scsi_good(cmd);
		goto out;
	}
	if (!vsp_bios(cmd, k))
		goto out;
	for (i = 0, k = 0; i < nd; i++) {
		uint64_t lba = vsp_get_be64(p + 8 + 16 * i);
		uint32_t n = vsp_get_be32(p + 16 + 16 * i);

		if (n)
			vsp_bio_init(cmd, &cmd->bios[k++], VSP_BIO_DISCARD,
				     lba * d->cfg.lbs, (uint64_t)n * d->cfg.lbs);
	}
	vsp_issue(q, cmd, k);
	return;
out:
	vsp_finish(cmd);
}

/* WRITE SAME (16) without unmapping: the block repeated, in 1 MiB bios. */
static void vsp_write_same_data(struct vsp_bq *q, struct vsp_scsi_cmd *cmd,
				const uint8_t *blk, uint64_t off, uint64_t bytes)
{
	uint32_t lbs = cmd->disk->cfg.lbs;
	uint64_t chunk = bytes < VSP_WS_CHUNK ? bytes : VSP_WS_CHUNK;
	uint32_t n = (uint32_t)((bytes + chunk - 1) / chunk), i;
	struct iovec *iov;
	uint8_t *buf;

	cmd->buf = malloc(chunk + n * sizeof(*iov));
	if (!cmd->buf || !vsp_bios(cmd, n)) {
		vsp_scsi_check(cmd, VSC_SENSE_HARDWARE_ERROR,
			       VSC_ASC_INTERNAL_TARGET_FAILURE);
		vsp_finish(cmd);
		return;
	}
	buf = cmd->buf;
	iov = (struct iovec *)(buf + chunk);
	for (uint64_t o = 0; o < chunk; o += lbs)
		memcpy(buf + o, blk, lbs);
	for (i = 0; i < n; i++) {
		uint64_t len = bytes - i * chunk < chunk ? bytes - i * chunk : chunk;

		iov[i].iov_base = buf;
		iov[i].iov_len = len;
		vsp_bio_init(cmd, &cmd->bios[i], VSP_BIO_WRITE, off + i * chunk, len);
		cmd->bios[i].iov = &iov[i];
		cmd->bios[i].iovcnt = 1;
	}
	vsp_issue(q, cmd, n);
}

static void vsp_write_same(struct vsp_bq *q, struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;
	struct vsp_disk *d = cmd->disk;
	bool unmap = c[1] & 0x08, ndob = c[1] & 0x01, zero = true;
	uint64_t lba = vsp_get_be64(c + 2), n = vsp_get_be32(c + 10);
	uint8_t blk[4096] = { 0 };

	if (!vsp_range_ok(cmd, lba, n) || !vsp_writable(cmd))
		goto out;
	if (!n || n > VSP_MAX_WS_BLOCKS || (c[1] & 0x10) ||
	    (!ndob && (cmd->xfer_len < d->cfg.lbs ||
		       (cmd->dir != VSP_DIR_OUT && cmd->dir != VSP_DIR_ANY)))) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		goto out;
	}
	if (!ndob) {
		vsp_iov_to_buf(cmd->iov, cmd->iovcnt, blk, d->cfg.lbs);
		for (uint32_t i = 0; i < d->cfg.lbs && zero; i++)
			zero = !blk[i];
	}
	/* Unmapping gives the same result only where holes read zeroes. */
	if (unmap && zero && d->cfg.can_unmap && d->cfg.lbprz) {
		vsp_bio_init(cmd, &cmd->bio, VSP_BIO_DISCARD, lba * d->cfg.lbs,
			     n * d->cfg.lbs);
		vsp_issue(q, cmd, 1);
		return;
	}
	vsp_write_same_data(q, cmd, blk, lba * d->cfg.lbs, n * d->cfg.lbs);
	return;
out:
	vsp_finish(cmd);
}

/* CDB bytes each group of operation codes needs; 0: not a group we take. */
static uint8_t vsp_cdb_need(uint8_t op)
{
	static const uint8_t len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

	return len[op >> 5];
}

/* The data direction a command needs (for the ones that carry data). */
static enum vsp_dir vsp_cmd_dir(uint8_t op)
{
	switch (op) {
	case VSC_SCSI_INQUIRY:
	case VSC_SCSI_READ_CAPACITY_10:
	case VSC_SCSI_SERVICE_ACTION_IN_16:
	case VSC_SCSI_MODE_SENSE_6:
	case VSC_SCSI_MODE_SENSE_10:
	case VSC_SCSI_REQUEST_SENSE:
	case VSC_SCSI_REPORT_LUNS:
		return VSP_DIR_IN;
	case VSC_SCSI_UNMAP:
		return VSP_DIR_OUT;
	default:
		return VSP_DIR_NONE;
	}
}

void vsp_disk_submit(struct vsp_disk *d, struct vsp_bq *q,
		     struct vsp_scsi_cmd *cmd)
{
	uint8_t op = cmd->cdb[0];
	enum vsp_dir dir = vsp_cmd_dir(op);

	cmd->disk = d;
	cmd->transferred = 0;
	cmd->err = 0;
	cmd->bios = NULL;
	cmd->buf = NULL;
	vsp_scsi_good(cmd);
	if (cmd->cdb_len > sizeof(cmd->cdb) || !vsp_cdb_need(op)) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_OPCODE);
		goto out;
	}
	if (cmd->cdb_len < vsp_cdb_need(op) ||
	    (dir != VSP_DIR_NONE && cmd->xfer_len && cmd->dir != dir &&
	     cmd->dir != VSP_DIR_ANY)) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		goto out;
	}
	if (vsp_disk_info(d, cmd))
		goto out;
	switch (op) {
	case VSC_SCSI_READ_6: case VSC_SCSI_READ_10:
	case VSC_SCSI_READ_12: case VSC_SCSI_READ_16:
	case VSC_SCSI_WRITE_6: case VSC_SCSI_WRITE_10:
	case VSC_SCSI_WRITE_12: case VSC_SCSI_WRITE_16:
		vsp_rw(q, cmd);
		return;
	case VSC_SCSI_SYNCHRONIZE_CACHE_10:
	case VSC_SCSI_SYNCHRONIZE_CACHE_16:
		vsp_sync(q, cmd);
		return;
	case VSC_SCSI_UNMAP:
		vsp_unmap(q, cmd);
		return;
	case VSC_SCSI_WRITE_SAME_16:
		vsp_write_same(q, cmd);
		return;
	default:
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_OPCODE);
	}
out:
	vsp_finish(cmd);
}
