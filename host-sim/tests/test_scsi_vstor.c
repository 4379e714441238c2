// SPDX-License-Identifier: GPL-2.0
/*
 * The VSTOR server (src/scsi/vstor.c) against a test guest (scsi_fix.h):
 * the init sequence and its order, versions, properties, sub-channels,
 * SRBs to several targets and LUNs, and each field a guest can get wrong.
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

#include "scsi_fix.h"

#define XFER	(64 * 1024)

struct tv {
	struct fix f;
	struct vsp_memdisk md[2];
	struct vsp_disk d[2];
	uint8_t img[2][1 << 20];
};

static const uint8_t inquiry[6] = { 0x12, 0, 0, 0, 36, 0 };
static const uint8_t tur[6];

static struct tv *tv_new(void)
{
	struct vsp_disk_cfg cfg = {
		.lbs = 512, .pbs = 512, .lbprz = true, .can_unmap = true,
		.max_xfer = XFER, .serial = "D0",
	};
	struct tv *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	assert_int_equal(fix_init(&t->f, XFER), 0);
	for (int i = 0; i < 2; i++) {
		t->md[i].data = t->img[i];
		t->md[i].size = sizeof(t->img[i]);
		cfg.serial[1] = (char)('0' + i);
		assert_int_equal(vsp_disk_init(&t->d[i], &cfg, &t->md[i],
					       sizeof(t->img[i])), 0);
	}
	/* target 0 LUN 0 and target 1 LUN 3 */
	assert_int_equal(vsp_vstor_add_lun(&t->f.v, 0, 0, &t->d[0]), 0);
	assert_int_equal(vsp_vstor_add_lun(&t->f.v, 1, 3, &t->d[1]), 0);
	return t;
}

static void tv_free(struct tv *t)
{
	vsp_memq_exit(&t->f.mq);
	free(t);
}

static struct tv *tv_ready(void)
{
	struct tv *t = tv_new();

	assert_int_equal(fix_handshake(&t->f), 0);
	assert_int_equal(t->f.v.state, VSP_VSTOR_READY);
	assert_int_equal(t->f.v.rejected, 0);
	return t;
}

static void test_add_lun(void **state)
{
	struct tv *t = tv_new();

	(void)state;
	assert_int_equal(vsp_vstor_add_lun(&t->f.v, 0, 0, &t->d[1]), -EEXIST);
	assert_int_equal(vsp_vstor_add_lun(&t->f.v, 2, 0, &t->d[1]), -EINVAL);
	assert_int_equal(vsp_vstor_add_lun(&t->f.v, 0, 255, &t->d[1]), -EINVAL);
	tv_free(t);
}

static void test_handshake(void **state)
{
	struct tv *t = tv_new();
	struct fix *f = &t->f;

	(void)state;
	assert_int_equal(fix_handshake(f), 0);
	assert_int_equal(f->replies, 4);
	assert_int_equal(f->reply_id, 4);
	assert_int_equal(f->reply_len, 0x40);
	assert_int_equal(le32_to_cpu(f->reply.operation), VSC_VSTOR_OP_COMPLETE_IO);
	assert_int_equal(f->v.version, VSC_VSTOR_VERSION_WIN10);
	tv_free(t);
}

static void test_versions_and_properties(void **state)
{
	struct tv *t = tv_new();
	struct fix *f = &t->f;
	uint32_t sz = sizeof(f->req);

	(void)state;
	memset(&f->req, 0, sz);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_BEGIN_INITIALIZATION, sz, 1), 0);
	/* 7.0 and 4.2 refused, the guest goes on; 6.0 taken */
	f->req.version.major_minor = cpu_to_le16(0x0700);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, sz, 2), 0);
	assert_int_equal(le32_to_cpu(f->reply.status), VSC_VSTOR_ST_REVISION_MISMATCH);
	f->req.version.major_minor = cpu_to_le16(VSC_VSTOR_VERSION_WIN7);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, sz, 3), 0);
	assert_int_equal(le32_to_cpu(f->reply.status), VSC_VSTOR_ST_REVISION_MISMATCH);
	f->req.version.major_minor = cpu_to_le16(VSC_VSTOR_VERSION_WIN8_1);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, sz, 4), 0);
	assert_int_equal(f->reply.status, 0);
	assert_int_equal(f->v.version, VSC_VSTOR_VERSION_WIN8_1);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_QUERY_PROPERTIES, sz, 5), 0);
	assert_int_equal(le32_to_cpu(f->reply.props.max_transfer_bytes), XFER);
	assert_int_equal(le16_to_cpu(f->reply.props.max_channel_cnt), 4);
	assert_int_equal(le32_to_cpu(f->reply.props.flags), 1);
	tv_free(t);
}

static void test_order_rules(void **state)
{
	struct tv *t = tv_new();
	struct fix *f = &t->f;
	uint32_t sz = sizeof(f->req);

	(void)state;
	memset(&f->req, 0, sz);
	/* properties, END, SRB before a version: refused and counted */
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_QUERY_PROPERTIES, sz, 1),
			 VSP_VSTOR_REJECTED);
	assert_int_equal(le32_to_cpu(f->reply.status),
			 VSC_VSTOR_ST_INVALID_DEVICE_STATE);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_END_INITIALIZATION, sz, 2),
			 VSP_VSTOR_REJECTED);
	assert_int_equal(fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 3),
			 VSP_VSTOR_REJECTED);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_INVALID_REQUEST);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, sz, 4),
			 VSP_VSTOR_REJECTED);
	/* what a guest never sends */
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_COMPLETE_IO, sz, 5),
			 VSP_VSTOR_REJECTED);
	assert_int_equal(fix_op(f, 99, sz, 6), VSP_VSTOR_REJECTED);
	assert_int_equal(le32_to_cpu(f->reply.status),
			 VSC_VSTOR_ST_INVALID_DEVICE_REQUEST);
	/* short packets: answered if they have a header, else dropped */
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_BEGIN_INITIALIZATION, 0x30, 7),
			 VSP_VSTOR_REJECTED);
	assert_int_equal(le32_to_cpu(f->reply.status), VSC_VSTOR_ST_INVALID_PARAMETER);
	f->replies = 0;
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_BEGIN_INITIALIZATION, 11, 8),
			 -EBADMSG);
	assert_int_equal(f->replies, 0);
	assert_true(f->v.rejected >= 8);
	assert_true(strlen(f->v.why) > 0);
	tv_free(t);
}

static void test_subchannels(void **state)
{
	struct tv *t = tv_ready();
	struct fix *f = &t->f;
	uint32_t sz = sizeof(f->req);

	(void)state;
	memset(&f->req, 0, sz);
	f->req.sub_channel_count = cpu_to_le16(5);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_CREATE_SUB_CHANNELS, sz, 9),
			 VSP_VSTOR_REJECTED);
	f->req.sub_channel_count = cpu_to_le16(3);
	f->ch.primary = false;
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_CREATE_SUB_CHANNELS, sz, 9),
			 VSP_VSTOR_REJECTED);
	f->ch.primary = true;
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_CREATE_SUB_CHANNELS, sz, 9), 0);
	assert_int_equal(f->reply.status, 0);
	assert_int_equal(f->subchannels, 3);
	/* once per controller */
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_CREATE_SUB_CHANNELS, sz, 9),
			 VSP_VSTOR_REJECTED);
	/* a new driver (kexec) starts over and may ask again */
	assert_int_equal(fix_handshake(f), 0);
	memset(&f->req, 0, sz);
	f->req.sub_channel_count = cpu_to_le16(2);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_CREATE_SUB_CHANNELS, sz, 10), 0);
	assert_int_equal(f->subchannels, 2);
	tv_free(t);
}

static void test_srb_inquiry_and_luns(void **state)
{
	static const uint8_t rl[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	struct tv *t = tv_ready();
	struct fix *f = &t->f;
	uint8_t *data = f->ram + 2 * FIX_PAGE + 100;

	(void)state;
	/* 255 bytes at page 2 + 100: an INQUIRY answers 36 */
	assert_int_equal(fix_srb(f, 0, inquiry, 6, VSC_VSTOR_DIR_READ, 255, 2,
				 100, 77), 0);
	assert_int_equal(f->reply_id, 77);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_SUCCESS);
	assert_int_equal(le32_to_cpu(f->reply.srb.data_transfer_length), 36);
	assert_memory_equal(data + 8, "VSC     ", 8);
	assert_int_equal(f->ch.inflight, 0);
	/* target 1: LUN 3 lives, LUN 0 answers "no device", LUN 4 is gone */
	f->target = 1;
	assert_int_equal(fix_srb(f, 0, rl, 12, 1, 256, 3, 0, 78), 0);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_SUCCESS);
	assert_int_equal(vsp_get_be32(f->ram + 3 * FIX_PAGE), 8);
	assert_int_equal(vsp_get_be16(f->ram + 3 * FIX_PAGE + 8), 3);
	assert_int_equal(fix_srb(f, 0, inquiry, 6, 1, 36, 3, 0, 79), 0);
	assert_int_equal(f->ram[3 * FIX_PAGE], 0x7f);
	assert_int_equal(fix_srb(f, 3, inquiry, 6, 1, 36, 3, 0, 80), 0);
	assert_int_equal(f->ram[3 * FIX_PAGE], 0x00);
	assert_int_equal(fix_srb(f, 4, tur, 6, 2, 0, 0, 0, 81), 0);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_INVALID_LUN);
	/* a LUN nobody configured; a path other than 0 has no devices */
	f->target = 0;
	assert_int_equal(fix_srb(f, 1, tur, 6, 2, 0, 0, 0, 82), 0);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_INVALID_LUN);
	f->req.srb.path_id = 1;
	f->req.srb.lun = 0;
	assert_int_equal(vsp_vstor_handle(&f->ch, &f->pkt), 0);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_INVALID_LUN);
	assert_int_equal(f->ch.inflight, 0);
	assert_int_equal(f->v.rejected, 0);
	tv_free(t);
}

static void test_srb_read_write(void **state)
{
	uint8_t w[10] = { 0x2a, 0x08, 0, 0, 0, 16, 0, 0, 24, 0 };
	uint8_t r[10] = { 0x28, 0, 0, 0, 0, 16, 0, 0, 24, 0 };
	struct tv *t = tv_ready();
	struct fix *f = &t->f;
	uint8_t *g = f->ram + 10 * FIX_PAGE + 512;

	(void)state;
	/* 12 KiB from page 10 + 512: four pages, not aligned */
	for (uint32_t i = 0; i < 24 * 512; i++)
		g[i] = (uint8_t)(i * 13);
	assert_int_equal(fix_srb(f, 0, w, 10, VSC_VSTOR_DIR_WRITE, 24 * 512, 10,
				 512, 5), 0);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_SUCCESS);
	assert_int_equal(le32_to_cpu(f->reply.srb.data_transfer_length), 24 * 512);
	assert_memory_equal(t->img[0] + 16 * 512, g, 24 * 512);
	assert_int_equal(f->mq.fua_writes, 1);
	memset(g, 0, 24 * 512);
	assert_int_equal(fix_srb(f, 0, r, 10, VSC_VSTOR_DIR_READ, 24 * 512, 10,
				 512, 6), 0);
	assert_memory_equal(t->img[0] + 16 * 512, g, 24 * 512);
	/* deferred: answered when the back end completes */
	f->mq.defer = true;
	f->replies = 0;
	assert_int_equal(fix_srb(f, 0, r, 10, VSC_VSTOR_DIR_READ, 24 * 512, 10,
				 512, 7), 0);
	assert_int_equal(f->replies, 0);
	assert_int_equal(f->ch.inflight, 1);
	vsp_memq_run(&f->mq);
	assert_int_equal(f->replies, 1);
	assert_int_equal(f->reply_id, 7);
	assert_int_equal(f->ch.inflight, 0);
	/* a reset is answered after the SRBs in flight; a second one waits not */
	f->replies = 0;
	fix_srb(f, 0, r, 10, VSC_VSTOR_DIR_READ, 24 * 512, 10, 512, 8);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_RESET_BUS, sizeof(f->req), 9), 0);
	assert_int_equal(f->replies, 0);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_RESET_LUN, sizeof(f->req), 10),
			 VSP_VSTOR_REJECTED);
	assert_int_equal(f->replies, 1);
	vsp_memq_run(&f->mq);
	assert_int_equal(f->replies, 3);
	assert_int_equal(f->reply_id, 9);
	assert_int_equal(f->reply.status, 0);
	assert_int_equal(fix_op(f, VSC_VSTOR_OP_RESET_LUN, sizeof(f->req), 11), 0);
	assert_int_equal(f->reply_id, 11);
	tv_free(t);
}

static void test_srb_check_condition(void **state)
{
	uint8_t r[10] = { 0x28, 0, 0xff, 0, 0, 0, 0, 0, 1, 0 };
	struct tv *t = tv_ready();
	struct fix *f = &t->f;

	(void)state;
	assert_int_equal(fix_srb(f, 0, r, 10, VSC_VSTOR_DIR_READ, 512, 1, 0, 9), 0);
	assert_int_equal(f->reply.srb.srb_status,
			 VSC_SRB_STATUS_ERROR | VSC_SRB_STATUS_AUTOSENSE_VALID);
	assert_int_equal(f->reply.srb.scsi_status, VSC_SCSI_STATUS_CHECK_CONDITION);
	assert_int_equal(f->reply.srb.sense_info_length, 18);
	assert_int_equal(f->reply.srb.sense_data[2], VSC_SENSE_ILLEGAL_REQUEST);
	assert_int_equal(f->reply.srb.sense_data[12], 0x21);
	assert_int_equal(f->reply.srb.data_transfer_length, 0);
	tv_free(t);
}

/* Each bad field is answered INVALID_REQUEST and counted. */
static void expect_bad(struct fix *f, int ret)
{
	assert_int_equal(ret, VSP_VSTOR_REJECTED);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_INVALID_REQUEST);
	assert_int_equal(f->reply.srb.data_transfer_length, 0);
	assert_int_equal(f->ch.inflight, 0);
}

static void test_srb_validation(void **state)
{
	struct tv *t = tv_ready();
	struct fix *f = &t->f;
	struct vsc_gpa_range *g = (struct vsc_gpa_range *)f->ranges;

	(void)state;
	/* CDB length 0 and 17, direction 3, sense length 0x15 */
	expect_bad(f, fix_srb(f, 0, inquiry, 0, 1, 36, 1, 0, 1));
	f->req.srb.cdb_length = 17;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	expect_bad(f, fix_srb(f, 0, inquiry, 6, 3, 36, 1, 0, 1));
	fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 1);
	f->req.srb.sense_info_length = 0x15;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	/* SRB length, path 8, target 2, LUN 255 */
	f->req.srb.sense_info_length = 0x14;
	f->req.srb.length = cpu_to_le16(0x24);
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	f->req.srb.length = cpu_to_le16(0x34);
	f->req.srb.path_id = 8;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	f->req.srb.path_id = 0;
	f->req.srb.target_id = 2;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	expect_bad(f, fix_srb(f, 255, inquiry, 6, 1, 36, 1, 0, 1));
	/* more than the max transfer */
	expect_bad(f, fix_srb(f, 0, inquiry, 6, 1, XFER + 4096, 0, 0, 1));
	/* data without a GPA list, a GPA list without data */
	fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 1);
	f->pkt.type = VSC_PKT_DATA_INBAND;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 1);
	f->req.srb.data_transfer_length = 0;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	/* the range's count differs from the transfer length */
	fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 1);
	g->byte_count = cpu_to_le32(35);
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	/* two ranges */
	fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 1);
	f->pkt.gpa.count = 2;
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	/* a page outside guest RAM, a PFN that overflows */
	expect_bad(f, fix_srb(f, 0, inquiry, 6, 1, 36, FIX_RAM_PAGES, 0, 1));
	fix_srb(f, 0, inquiry, 6, 1, 36, 1, 0, 1);
	g->pfn[0] = cpu_to_le64(1ull << 60);
	expect_bad(f, vsp_vstor_handle(&f->ch, &f->pkt));
	/* the last page of a range outside RAM */
	expect_bad(f, fix_srb(f, 0, inquiry, 6, 1, 8192, FIX_RAM_PAGES - 1,
			      100, 1));
	assert_true(f->v.rejected >= 16);
	tv_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_lun),
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_versions_and_properties),
		cmocka_unit_test(test_order_rules),
		cmocka_unit_test(test_subchannels),
		cmocka_unit_test(test_srb_inquiry_and_luns),
		cmocka_unit_test(test_srb_read_write),
		cmocka_unit_test(test_srb_check_condition),
		cmocka_unit_test(test_srb_validation),
	};

	return cmocka_run_group_tests_name("scsi_vstor", tests, NULL, NULL);
}
