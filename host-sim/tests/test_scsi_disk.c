// SPDX-License-Identifier: GPL-2.0
/*
 * The disk emulation (src/scsi/disk*.c) over the memory queue: each command
 * of issue 14's list, its data and its errors, with the guest's buffer
 * split over two iovecs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vsc/scsi.h>

#include "scsi/disk.h"
#include "scsi/memq.h"

#define IMG_BLOCKS	2048
#define BUF		(256 * 1024)

struct t {
	struct vsp_disk d;
	struct vsp_memdisk md;
	struct vsp_memq mq;
	uint8_t img[IMG_BLOCKS * 512];
	uint8_t buf[BUF];
	struct iovec iov[2];
	struct vsp_scsi_cmd c;
	int done;
};

static void t_done(struct vsp_scsi_cmd *c)
{
	((struct t *)c->priv)->done++;
}

static struct t *t_new(uint32_t lbs, uint32_t pbs, bool ro)
{
	struct vsp_disk_cfg cfg = {
		.lbs = lbs, .pbs = pbs, .read_only = ro, .lbprz = true,
		.can_unmap = true, .max_xfer = 128 * 1024, .serial = "SERIAL-A",
	};
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->md.data = t->img;
	t->md.size = sizeof(t->img);
	vsp_memq_init(&t->mq);
	assert_int_equal(vsp_disk_init(&t->d, &cfg, &t->md, sizeof(t->img)), 0);
	return t;
}

static void t_free(struct t *t)
{
	vsp_memq_exit(&t->mq);
	free(t);
}

/* Sets up @cdb with @xfer bytes of buf (split at 100) in direction @dir. */
static void prep(struct t *t, const uint8_t *cdb, uint8_t len,
		 enum vsp_dir dir, uint32_t xfer)
{
	memset(&t->c, 0, sizeof(t->c));
	memcpy(t->c.cdb, cdb, len);
	t->c.cdb_len = len;
	t->c.dir = dir;
	t->iov[0].iov_base = t->buf;
	t->iov[0].iov_len = xfer < 100 ? xfer : 100;
	t->iov[1].iov_base = t->buf + t->iov[0].iov_len;
	t->iov[1].iov_len = xfer - t->iov[0].iov_len;
	t->c.iov = t->iov;
	t->c.iovcnt = 2;
	t->c.xfer_len = xfer;
	t->c.done = t_done;
	t->c.priv = t;
	t->done = 0;
}

/* Runs the command to its end. */
static struct vsp_scsi_cmd *run(struct t *t, const uint8_t *cdb, uint8_t len,
				enum vsp_dir dir, uint32_t xfer)
{
	prep(t, cdb, len, dir, xfer);
	vsp_disk_submit(&t->d, &t->mq.q, &t->c);
	vsp_memq_run(&t->mq);
	assert_int_equal(t->done, 1);
	return &t->c;
}

static void expect_sense(const struct vsp_scsi_cmd *c, uint8_t key, uint16_t asc)
{
	assert_int_equal(c->status, VSC_SCSI_STATUS_CHECK_CONDITION);
	assert_true(c->sense_len >= 14 && c->sense_len <= 20);
	assert_int_equal(c->sense[0], 0x70);
	assert_int_equal(c->sense[2], key);
	assert_int_equal(c->sense[12] << 8 | c->sense[13], asc);
	assert_int_equal(c->transferred, 0);
}

static void test_tur_and_start_stop(void **state)
{
	static const uint8_t tur[6], ssu[6] = { 0x1b, 0, 0, 0, 1, 0 };
	struct t *t = t_new(512, 512, false);

	(void)state;
	assert_int_equal(run(t, tur, 6, VSP_DIR_NONE, 0)->status, 0);
	assert_int_equal(run(t, ssu, 6, VSP_DIR_NONE, 0)->status, 0);
	t_free(t);
}

static void test_inquiry(void **state)
{
	uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 };
	struct t *t = t_new(512, 512, false);
	struct vsp_scsi_cmd *c;

	(void)state;
	c = run(t, cdb, 6, VSP_DIR_IN, 255);
	assert_int_equal(c->status, 0);
	assert_int_equal(c->transferred, 36);
	assert_int_equal(t->buf[0], 0);
	assert_int_equal(t->buf[2], 5);
	assert_memory_equal(t->buf + 8, "VSC     ", 8);
	/* allocation length cuts the answer */
	cdb[4] = 5;
	assert_int_equal(run(t, cdb, 6, VSP_DIR_IN, 255)->transferred, 5);
	/* page code without EVPD */
	cdb[2] = 0x80;
	expect_sense(run(t, cdb, 6, VSP_DIR_IN, 255), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	/* a data-in command with a data-out buffer */
	cdb[2] = 0;
	expect_sense(run(t, cdb, 6, VSP_DIR_OUT, 255), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	t_free(t);
}

static uint8_t *vpd(struct t *t, uint8_t page)
{
	const uint8_t cdb[6] = { 0x12, 1, page, 0, 255, 0 };
	struct vsp_scsi_cmd *c = run(t, cdb, 6, VSP_DIR_IN, 255);

	assert_int_equal(c->status, 0);
	assert_int_equal(t->buf[1], page);
	assert_int_equal(c->transferred, 4 + vsp_get_be16(t->buf + 2));
	return t->buf;
}

static void test_vpd_pages(void **state)
{
	static const uint8_t pages[] = { 0, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	struct t *t = t_new(512, 4096, false), *u = t_new(512, 512, false);
	uint8_t id[64], *b;
	const uint8_t bad[6] = { 0x12, 1, 0x99, 0, 255, 0 };

	(void)state;
	b = vpd(t, 0);
	assert_int_equal(b[3], sizeof(pages));
	assert_memory_equal(b + 4, pages, sizeof(pages));
	b = vpd(t, 0x80);
	assert_int_equal(b[3], 8);
	assert_memory_equal(b + 4, "SERIAL-A", 8);
	b = vpd(t, 0x83);
	assert_int_equal(b[4] & 0x0f, 1);	/* binary */
	assert_int_equal(b[5] & 0x0f, 3);	/* NAA */
	assert_int_equal(b[8] >> 4, 6);
	memcpy(id, b, sizeof(id));
	/* the same serial gives the same id; another serial another */
	assert_memory_equal(vpd(u, 0x83), id, sizeof(id));
	strcpy(u->d.cfg.serial, "SERIAL-B");
	u->d.naa = vsp_scsi_hash("SERIAL-B", VSP_HASH_SEED);
	assert_memory_not_equal(vpd(u, 0x83) + 8, id + 8, 16);
	b = vpd(t, 0xb0);
	assert_int_equal(vsp_get_be16(b + 6), 8);		/* 4096 / 512 */
	assert_int_equal(vsp_get_be32(b + 8), 256);		/* 128 KiB */
	assert_int_equal(vsp_get_be32(b + 20), VSP_MAX_UNMAP_BLOCKS);
	assert_int_equal(vsp_get_be32(b + 24), VSP_MAX_UNMAP_DESC);
	assert_int_equal(vsp_get_be64(b + 36), VSP_MAX_WS_BLOCKS);
	b = vpd(t, 0xb1);
	assert_int_equal(vsp_get_be16(b + 4), 1);
	b = vpd(t, 0xb2);
	assert_int_equal(b[5], 0xc4);				/* LBPU LBPWS LBPRZ */
	expect_sense(run(t, bad, 6, VSP_DIR_IN, 255), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	t_free(t);
	t_free(u);
}

static void test_read_capacity(void **state)
{
	static const uint8_t rc10[10] = { 0x25 };
	static const uint8_t rc16[16] = { 0x9e, 0x10, [13] = 32 };
	struct t *t = t_new(512, 4096, false), *k = t_new(4096, 4096, true);
	struct vsp_scsi_cmd *c;

	(void)state;
	c = run(t, rc10, 10, VSP_DIR_IN, 8);
	assert_int_equal(c->transferred, 8);
	assert_int_equal(vsp_get_be32(t->buf), IMG_BLOCKS - 1);
	assert_int_equal(vsp_get_be32(t->buf + 4), 512);
	c = run(t, rc16, 16, VSP_DIR_IN, 32);
	assert_int_equal(c->transferred, 32);
	assert_int_equal(vsp_get_be64(t->buf), IMG_BLOCKS - 1);
	assert_int_equal(t->buf[13], 3);			/* 512e */
	assert_int_equal(t->buf[14] & 0xc0, 0xc0);		/* LBPME LBPRZ */
	/* 4Kn, read-only: no provisioning */
	c = run(k, rc16, 16, VSP_DIR_IN, 32);
	assert_int_equal(vsp_get_be64(k->buf), IMG_BLOCKS / 8 - 1);
	assert_int_equal(vsp_get_be32(k->buf + 8), 4096);
	assert_int_equal(k->buf[13], 0);
	assert_int_equal(k->buf[14], 0);
	t_free(t);
	t_free(k);
}

static void put_rw(uint8_t *cdb, uint8_t op, uint64_t lba, uint32_t n, bool fua)
{
	memset(cdb, 0, 16);
	cdb[0] = op;
	switch (op) {
	case 0x08: case 0x0a:
		cdb[1] = (uint8_t)(lba >> 16) & 0x1f;
		vsp_put_be16(cdb + 2, (uint16_t)lba);
		cdb[4] = (uint8_t)n;
		return;
	case 0x28: case 0x2a:
		vsp_put_be32(cdb + 2, (uint32_t)lba);
		vsp_put_be16(cdb + 7, (uint16_t)n);
		break;
	case 0xa8: case 0xaa:
		vsp_put_be32(cdb + 2, (uint32_t)lba);
		vsp_put_be32(cdb + 6, n);
		break;
	default:
		vsp_put_be64(cdb + 2, lba);
		vsp_put_be32(cdb + 10, n);
	}
	cdb[1] = fua ? 0x08 : 0;
}

static void test_read_write_all_sizes(void **state)
{
	static const uint8_t ops[][3] = {	/* read, write, CDB length */
		{ 0x08, 0x0a, 6 }, { 0x28, 0x2a, 10 }, { 0xa8, 0xaa, 12 },
		{ 0x88, 0x8a, 16 },
	};
	struct t *t = t_new(512, 512, false);
	uint8_t cdb[16];

	(void)state;
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t lba = 100 + 10 * i;

		for (unsigned int k = 0; k < 2048; k++)
			t->buf[k] = (uint8_t)(k * 7 + i);
		put_rw(cdb, ops[i][1], lba, 4, i > 0);
		assert_int_equal(run(t, cdb, ops[i][2], VSP_DIR_OUT, 2048)->status, 0);
		assert_int_equal(t->c.transferred, 2048);
		assert_int_equal(t->img[lba * 512 + 5], (uint8_t)(5 * 7 + i));
		memset(t->buf, 0, 2048);
		put_rw(cdb, ops[i][0], lba, 4, false);
		assert_int_equal(run(t, cdb, ops[i][2], VSP_DIR_IN, 2048)->status, 0);
		assert_int_equal(t->buf[2047], (uint8_t)(2047 * 7 + i));
	}
	assert_int_equal(t->mq.fua_writes, 3);
	/* READ(6) of 0 blocks means 256 */
	put_rw(cdb, 0x08, 0, 0, false);
	assert_int_equal(run(t, cdb, 6, VSP_DIR_IN, BUF)->transferred, 256 * 512);
	/* a buffer larger than the command: the rest is a residual */
	put_rw(cdb, 0x28, 0, 1, false);
	assert_int_equal(run(t, cdb, 10, VSP_DIR_IN, 4096)->transferred, 512);
	t_free(t);
}

static void test_read_write_errors(void **state)
{
	struct t *t = t_new(512, 512, false), *ro = t_new(512, 512, true);
	uint8_t cdb[16];

	(void)state;
	put_rw(cdb, 0x28, IMG_BLOCKS - 1, 2, false);
	expect_sense(run(t, cdb, 10, VSP_DIR_IN, 1024), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_LBA_OUT_OF_RANGE);
	put_rw(cdb, 0x88, ~0ull, 1, false);
	expect_sense(run(t, cdb, 16, VSP_DIR_IN, 512), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_LBA_OUT_OF_RANGE);
	/* more than the buffer, more than the max transfer */
	put_rw(cdb, 0x28, 0, 4, false);
	expect_sense(run(t, cdb, 10, VSP_DIR_IN, 1024), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	put_rw(cdb, 0x28, 0, 257, false);
	expect_sense(run(t, cdb, 10, VSP_DIR_IN, BUF), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	/* a write whose buffer the guest marked as data in */
	put_rw(cdb, 0x2a, 0, 1, false);
	expect_sense(run(t, cdb, 10, VSP_DIR_IN, 512), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	/* a CDB shorter than its operation code needs */
	expect_sense(run(t, cdb, 6, VSP_DIR_OUT, 512), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	expect_sense(run(ro, cdb, 10, VSP_DIR_OUT, 512), VSC_SENSE_DATA_PROTECT,
		     VSC_ASC_WRITE_PROTECTED);
	/* the back end fails */
	t->mq.fail = -5;
	expect_sense(run(t, cdb, 10, VSP_DIR_OUT, 512), VSC_SENSE_MEDIUM_ERROR,
		     VSC_ASC_WRITE_ERROR);
	put_rw(cdb, 0x28, 0, 1, false);
	expect_sense(run(t, cdb, 10, VSP_DIR_IN, 512), VSC_SENSE_MEDIUM_ERROR,
		     VSC_ASC_READ_ERROR);
	t_free(t);
	t_free(ro);
}

static void test_sync_cache(void **state)
{
	static const uint8_t s10[10] = { 0x35 }, s16[16] = { 0x91 };
	static const uint8_t bad[10] = { 0x35, 0, 0xff, 0xff, 0xff, 0xff };
	struct t *t = t_new(512, 512, false);

	(void)state;
	assert_int_equal(run(t, s10, 10, VSP_DIR_NONE, 0)->status, 0);
	assert_int_equal(run(t, s16, 16, VSP_DIR_NONE, 0)->status, 0);
	assert_int_equal(t->mq.flushes, 2);
	expect_sense(run(t, bad, 10, VSP_DIR_NONE, 0), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_LBA_OUT_OF_RANGE);
	t_free(t);
}

static void put_unmap(uint8_t *p, uint32_t nd, const uint64_t *lba,
		      const uint32_t *n)
{
	memset(p, 0, 8 + 16 * nd);
	vsp_put_be16(p, (uint16_t)(6 + 16 * nd));
	vsp_put_be16(p + 2, (uint16_t)(16 * nd));
	for (uint32_t i = 0; i < nd; i++) {
		vsp_put_be64(p + 8 + 16 * i, lba[i]);
		vsp_put_be32(p + 16 + 16 * i, n[i]);
	}
}

static void test_unmap(void **state)
{
	uint8_t cdb[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 40, 0 };
	static const uint64_t lba[2] = { 10, 20 }, far[1] = { IMG_BLOCKS };
	static const uint32_t n[2] = { 2, 3 }, one[1] = { 1 };
	struct t *t = t_new(512, 512, false), *ro = t_new(512, 512, true);

	(void)state;
	memset(t->img, 0xaa, sizeof(t->img));
	put_unmap(t->buf, 2, lba, n);
	assert_int_equal(run(t, cdb, 10, VSP_DIR_OUT, 40)->status, 0);
	assert_int_equal(t->mq.discards, 2);
	assert_int_equal(t->img[10 * 512], 0);
	assert_int_equal(t->img[12 * 512 - 1], 0);
	assert_int_equal(t->img[12 * 512], 0xaa);
	assert_int_equal(t->img[23 * 512 - 1], 0);
	assert_int_equal(t->img[23 * 512], 0xaa);
	/* a descriptor past the end: nothing is unmapped */
	cdb[8] = 24;
	put_unmap(t->buf, 1, far, one);
	expect_sense(run(t, cdb, 10, VSP_DIR_OUT, 24), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_LBA_OUT_OF_RANGE);
	/* a header whose lengths do not add up */
	put_unmap(t->buf, 1, lba, one);
	vsp_put_be16(t->buf + 2, 32);
	expect_sense(run(t, cdb, 10, VSP_DIR_OUT, 24), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_PARAM_LIST_LENGTH);
	cdb[8] = 4;
	expect_sense(run(t, cdb, 10, VSP_DIR_OUT, 24), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_PARAM_LIST_LENGTH);
	/* more descriptors than the block limits allow */
	vsp_put_be16(cdb + 7, 8 + 16 * 65);
	memset(t->buf, 0, 8 + 16 * 65);
	vsp_put_be16(t->buf, 6 + 16 * 65);
	vsp_put_be16(t->buf + 2, 16 * 65);
	expect_sense(run(t, cdb, 10, VSP_DIR_OUT, 8 + 16 * 65),
		     VSC_SENSE_ILLEGAL_REQUEST, VSC_ASC_INVALID_FIELD_IN_PARAM);
	vsp_put_be16(cdb + 7, 24);
	put_unmap(t->buf, 1, lba, one);
	expect_sense(run(ro, cdb, 10, VSP_DIR_OUT, 24), VSC_SENSE_DATA_PROTECT,
		     VSC_ASC_WRITE_PROTECTED);
	t_free(t);
	t_free(ro);
}

static void test_write_same(void **state)
{
	uint8_t cdb[16] = { 0x93, 0x08 };
	struct t *t = t_new(512, 512, false);

	(void)state;
	memset(t->img, 0xaa, sizeof(t->img));
	vsp_put_be64(cdb + 2, 8);
	vsp_put_be32(cdb + 10, 4);
	memset(t->buf, 0, 512);
	/* UNMAP with a zero block: a hole */
	assert_int_equal(run(t, cdb, 16, VSP_DIR_OUT, 512)->status, 0);
	assert_int_equal(t->mq.discards, 1);
	assert_int_equal(t->img[8 * 512], 0);
	assert_int_equal(t->img[12 * 512], 0xaa);
	/* without UNMAP: the block repeated */
	cdb[1] = 0;
	vsp_put_be32(cdb + 10, 3000 > IMG_BLOCKS ? 1000 : 3000);
	memset(t->buf, 0x5c, 512);
	t->buf[0] = 1;
	assert_int_equal(run(t, cdb, 16, VSP_DIR_OUT, 512)->status, 0);
	assert_int_equal(t->img[8 * 512], 1);
	assert_int_equal(t->img[1007 * 512], 1);
	assert_int_equal(t->img[1007 * 512 + 511], 0x5c);
	assert_int_equal(t->img[1008 * 512], 0xaa);
	/* 0 blocks, past the end, no data */
	vsp_put_be32(cdb + 10, 0);
	expect_sense(run(t, cdb, 16, VSP_DIR_OUT, 512), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	vsp_put_be32(cdb + 10, IMG_BLOCKS);
	expect_sense(run(t, cdb, 16, VSP_DIR_OUT, 512), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_LBA_OUT_OF_RANGE);
	vsp_put_be32(cdb + 10, 1);
	expect_sense(run(t, cdb, 16, VSP_DIR_OUT, 0), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	t_free(t);
}

static void test_mode_sense(void **state)
{
	uint8_t m6[6] = { 0x1a, 0, 0x3f, 0, 4, 0 };
	uint8_t m10[10] = { 0x5a, 0x10, 0x08, 0, 0, 0, 0, 0, 255, 0 };
	struct t *t = t_new(512, 512, false), *ro = t_new(512, 512, true);
	struct vsp_scsi_cmd *c;

	(void)state;
	/* page 0x3F into 4 bytes: the header alone, with the full length */
	c = run(t, m6, 6, VSP_DIR_IN, 255);
	assert_int_equal(c->transferred, 4);
	assert_int_equal(t->buf[0], 4 + 8 + 20 + 12 - 1);
	assert_int_equal(t->buf[2], 0x10);		/* DPOFUA, not WP */
	assert_int_equal(t->buf[3], 8);
	c = run(ro, m6, 6, VSP_DIR_IN, 255);
	assert_int_equal(ro->buf[2], 0x90);		/* WP */
	m6[4] = 255;
	c = run(t, m6, 6, VSP_DIR_IN, 255);
	assert_int_equal(c->transferred, 44);
	assert_int_equal(t->buf[12], 0x08);		/* caching page */
	assert_int_equal(t->buf[14] & 0x04, 0x04);	/* WCE */
	/* MODE SENSE 10 with long LBA block descriptor */
	c = run(t, m10, 10, VSP_DIR_IN, 255);
	assert_int_equal(c->transferred, 8 + 16 + 20);
	assert_int_equal(vsp_get_be16(t->buf + 6), 16);
	assert_int_equal(vsp_get_be64(t->buf + 8), IMG_BLOCKS);
	assert_int_equal(t->buf[24], 0x08);
	/* saved values, an unknown page */
	m6[2] = 0xc8;
	expect_sense(run(t, m6, 6, VSP_DIR_IN, 255), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_SAVING_NOT_SUPPORTED);
	m6[2] = 0x19;
	expect_sense(run(t, m6, 6, VSP_DIR_IN, 255), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_FIELD_IN_CDB);
	t_free(t);
	t_free(ro);
}

static void test_request_sense_and_unknown(void **state)
{
	static const uint8_t rs[6] = { 0x03, 0, 0, 0, 252, 0 };
	static const uint8_t vendor[6] = { 0xc0 }, ws10[10] = { 0x41 };
	struct t *t = t_new(512, 512, false);
	struct vsp_scsi_cmd *c;

	(void)state;
	c = run(t, rs, 6, VSP_DIR_IN, 252);
	assert_int_equal(c->transferred, 18);
	assert_int_equal(t->buf[0], 0x70);
	assert_int_equal(t->buf[2], 0);
	expect_sense(run(t, vendor, 6, VSP_DIR_NONE, 0), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_OPCODE);
	expect_sense(run(t, ws10, 10, VSP_DIR_OUT, 0), VSC_SENSE_ILLEGAL_REQUEST,
		     VSC_ASC_INVALID_OPCODE);
	t_free(t);
}

static void test_deferred(void **state)
{
	struct t *t = t_new(4096, 4096, false);
	uint8_t cdb[16];

	(void)state;
	t->mq.defer = true;
	put_rw(cdb, 0x8a, 3, 2, true);
	prep(t, cdb, 16, VSP_DIR_ANY, 8192);
	memset(t->buf, 0x33, 8192);
	vsp_disk_submit(&t->d, &t->mq.q, &t->c);
	assert_int_equal(t->done, 0);
	assert_int_equal(t->img[3 * 4096], 0);
	assert_int_equal(vsp_memq_run(&t->mq), 1);
	assert_int_equal(t->done, 1);
	assert_int_equal(t->img[3 * 4096], 0x33);
	assert_int_equal(t->c.transferred, 8192);
	t_free(t);
}

/* Each deliberate bug changes what a test can see. */
static void test_bugs(void **state)
{
	static const uint8_t s10[10] = { 0x35 };
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	struct t *t = t_new(512, 512, false);

	(void)state;
	t->d.cfg.bugs = VSP_DISK_BUG_SKIP_FLUSH;
	assert_int_equal(run(t, s10, 10, VSP_DIR_NONE, 0)->status, 0);
	assert_int_equal(t->mq.flushes, 0);
	assert_int_equal(run(t, inq, 6, VSP_DIR_IN, 255)->transferred, 36);
	t->d.cfg.bugs = VSP_DISK_BUG_WRONG_RESIDUAL;
	assert_int_equal(run(t, inq, 6, VSP_DIR_IN, 255)->transferred, 255);
	t_free(t);
}

static void test_init_rejects(void **state)
{
	struct vsp_disk_cfg cfg = {
		.lbs = 1024, .pbs = 1024, .max_xfer = 4096, .serial = "x",
	};
	struct vsp_disk d;
	uint8_t img[4096];

	(void)state;
	assert_int_equal(vsp_disk_init(&d, &cfg, img, sizeof(img)), -EINVAL);
	cfg.lbs = cfg.pbs = 512;
	cfg.serial[0] = 0;
	assert_int_equal(vsp_disk_init(&d, &cfg, img, sizeof(img)), -EINVAL);
	cfg.serial[0] = '\n';
	assert_int_equal(vsp_disk_init(&d, &cfg, img, sizeof(img)), -EINVAL);
	cfg.serial[0] = 'x';
	assert_int_equal(vsp_disk_init(&d, &cfg, img, 511), -EINVAL);
	assert_int_equal(vsp_disk_init(&d, &cfg, img, 1023), 0);
	assert_int_equal(d.blocks, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tur_and_start_stop),
		cmocka_unit_test(test_inquiry),
		cmocka_unit_test(test_vpd_pages),
		cmocka_unit_test(test_read_capacity),
		cmocka_unit_test(test_read_write_all_sizes),
		cmocka_unit_test(test_read_write_errors),
		cmocka_unit_test(test_sync_cache),
		cmocka_unit_test(test_unmap),
		cmocka_unit_test(test_write_same),
		cmocka_unit_test(test_mode_sense),
		cmocka_unit_test(test_request_sense_and_unknown),
		cmocka_unit_test(test_deferred),
		cmocka_unit_test(test_bugs),
		cmocka_unit_test(test_init_rejects),
	};

	return cmocka_run_group_tests_name("scsi_disk", tests, NULL, NULL);
}
