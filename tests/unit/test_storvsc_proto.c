// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/storvsc/proto.c in userspace: the init-sequence packets, the SRB
 * builder, and the completion validator against every kind of bad answer a
 * host can send.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "storvsc/init.h"
#include "storvsc/proto.h"

#define GEN	7

/* Tags 0..15 are in flight, tag t asked for (t + 1) * 512 bytes. */
static bool lookup(void *priv, u32 tag, u32 *data_len)
{
	(void)priv;
	if (tag >= 16)
		return false;
	*data_len = (tag + 1) * 512;
	return true;
}

static const struct vsc_stor_cpl_ctx ctx = {
	.version = VSC_VSTOR_VERSION_WIN10, .gen = GEN, .lookup = lookup,
};

static void good_cpl(struct vsc_vstor_packet *p, u32 moved)
{
	memset(p, 0, sizeof(*p));
	p->operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	p->srb.length = cpu_to_le16(sizeof(p->srb));
	p->srb.srb_status = VSC_SRB_STATUS_SUCCESS;
	p->srb.data_transfer_length = cpu_to_le32(moved);
}

static void test_init_packets(void **state)
{
	struct vsc_vstor_packet p;

	(void)state;
	vsc_stor_build(&p, VSC_VSTOR_OP_BEGIN_INITIALIZATION);
	assert_int_equal(le32_to_cpu(p.operation), 7);
	assert_int_equal(le32_to_cpu(p.flags), 1);
	vsc_stor_build_version(&p, vsc_stor_versions[0]);
	assert_int_equal(le32_to_cpu(p.operation), 9);
	assert_int_equal(le16_to_cpu(p.version.major_minor), 0x0602);
	assert_int_equal(vsc_stor_versions[2], 0x0501);
	vsc_stor_build_subchannels(&p, 3);
	assert_int_equal(le32_to_cpu(p.operation), 13);
	assert_int_equal(le16_to_cpu(p.sub_channel_count), 3);
}

static void test_init_reply(void **state)
{
	struct vsc_vstor_packet p, out;
	u32 st;

	(void)state;
	good_cpl(&p, 0);
	assert_int_equal(vsc_stor_init_reply(&p, sizeof(p), &out, &st), 0);
	assert_int_equal(vsc_stor_init_reply(&p, sizeof(p) - 1, &out, &st),
			 -EBADMSG);
	p.status = cpu_to_le32(VSC_VSTOR_ST_REVISION_MISMATCH);
	assert_int_equal(vsc_stor_init_reply(&p, sizeof(p), &out, &st),
			 -EPROTONOSUPPORT);
	p.status = cpu_to_le32(VSC_VSTOR_ST_UNSUCCESSFUL);
	assert_int_equal(vsc_stor_init_reply(&p, sizeof(p), &out, &st), -EIO);
	assert_int_equal(st, VSC_VSTOR_ST_UNSUCCESSFUL);
	p.status = 0;
	p.operation = cpu_to_le32(VSC_VSTOR_OP_EXECUTE_SRB);
	assert_int_equal(vsc_stor_init_reply(&p, sizeof(p), &out, &st),
			 -EBADMSG);
}

static void test_props(void **state)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_props pr;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.props.max_transfer_bytes = cpu_to_le32(0x40000 + 100);
	p.props.max_channel_cnt = cpu_to_le16(64);
	p.props.flags = cpu_to_le32(VSC_VSTOR_PROP_MULTI_CHANNEL);
	assert_int_equal(vsc_stor_props_parse(&p, &pr), 0);
	assert_int_equal(pr.max_transfer, 0x40000);
	assert_int_equal(pr.max_channels, VSC_VSTOR_MAX_CHANNELS);
	assert_true(pr.multi_channel);
	p.props.flags = 0;
	assert_int_equal(vsc_stor_props_parse(&p, &pr), 0);
	assert_int_equal(pr.max_channels, 0);
	p.props.max_transfer_bytes = cpu_to_le32(4095);
	assert_int_equal(vsc_stor_props_parse(&p, &pr), -EINVAL);
}

static void test_build_srb(void **state)
{
	static const u8 cdb[] = { 0x2a, 0x08, 0, 0, 0, 1, 0, 0, 8, 0 };
	struct vsc_stor_srb_args a = {
		.target = 1, .lun = 3, .cdb = cdb, .cdb_len = sizeof(cdb),
		.dir = VSC_VSTOR_DIR_WRITE, .data_len = 4096, .timeout = 180,
	};
	struct vsc_vstor_packet p;

	(void)state;
	assert_int_equal(vsc_stor_build_srb(&p, &a), 0);
	assert_int_equal(le32_to_cpu(p.operation), VSC_VSTOR_OP_EXECUTE_SRB);
	assert_int_equal(le16_to_cpu(p.srb.length), 0x34);
	assert_int_equal(p.srb.sense_info_length, 0x14);
	assert_int_equal(le32_to_cpu(p.srb.srb_flags), 0x88);
	assert_memory_equal(p.srb.cdb, cdb, sizeof(cdb));
	a.cdb_len = 17;
	assert_int_equal(vsc_stor_build_srb(&p, &a), -EINVAL);
	a.cdb_len = 0;
	assert_int_equal(vsc_stor_build_srb(&p, &a), -EINVAL);
	a.cdb_len = 10;
	a.target = 2;
	assert_int_equal(vsc_stor_build_srb(&p, &a), -EINVAL);
	a.target = 0;
	a.dir = 3;
	assert_int_equal(vsc_stor_build_srb(&p, &a), -EINVAL);
}

static void test_worst_pkt(void **state)
{
	(void)state;
	/* 24 + 8 + 65 pfns * 8 + 64 = 616, plus the trailer */
	assert_int_equal(vsc_stor_worst_pkt(0x40000), 624);
}

static void test_cpl_good(void **state)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_cpl c;

	(void)state;
	good_cpl(&p, 2048);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p),
					    vsc_stor_rqst_id(GEN, 3), &c), 0);
	assert_int_equal(c.tag, 3);
	assert_int_equal(c.requested, 2048);
	assert_int_equal(c.transferred, 2048);
	assert_int_equal(c.sense_len, 0);
}

static void test_cpl_short_and_errors(void **state)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_cpl c;
	u64 id = vsc_stor_rqst_id(GEN, 3);

	(void)state;
	good_cpl(&p, 512);
	p.srb.srb_status = VSC_SRB_STATUS_DATA_OVERRUN;
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c), 0);
	assert_int_equal(c.transferred, 512);
	/* more than asked for: hostile */
	p.srb.data_transfer_length = cpu_to_le32(2049);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c),
			 -EBADMSG);
	/* an error moves nothing, whatever the length says */
	p.srb.srb_status = VSC_SRB_STATUS_ERROR;
	p.srb.data_transfer_length = cpu_to_le32(0xffffffff);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c), 0);
	assert_int_equal(c.transferred, 0);
	/* NTSTATUS failure with SRB success becomes an error */
	good_cpl(&p, 0);
	p.status = cpu_to_le32(VSC_VSTOR_ST_UNSUCCESSFUL);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c), 0);
	assert_int_equal(c.srb_status, VSC_SRB_STATUS_ERROR);
}

static void test_cpl_sense(void **state)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_cpl c;
	u64 id = vsc_stor_rqst_id(GEN, 0);

	(void)state;
	good_cpl(&p, 0);
	p.srb.srb_status = VSC_SRB_STATUS_ERROR | VSC_SRB_STATUS_AUTOSENSE_VALID;
	p.srb.scsi_status = 0x02;
	p.srb.sense_info_length = 18;
	p.srb.sense_data[0] = 0x70;
	p.srb.sense_data[2] = 0x05;
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c), 0);
	assert_int_equal(c.sense_len, 18);
	assert_int_equal(c.sense[2], 5);
	p.srb.sense_info_length = 0x15;
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c),
			 -EBADMSG);
	/* without the autosense flag, sense is not used */
	p.srb.sense_info_length = 18;
	p.srb.srb_status = VSC_SRB_STATUS_ERROR;
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), id, &c), 0);
	assert_int_equal(c.sense_len, 0);
}

static void test_cpl_bad_ids_and_lengths(void **state)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_cpl c;

	(void)state;
	good_cpl(&p, 0);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p) - 1,
					    vsc_stor_rqst_id(GEN, 1), &c),
			 -EBADMSG);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p),
					    vsc_stor_rqst_id(GEN + 1, 1), &c),
			 -ESTALE);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p),
					    (u64)GEN << 32, &c), -ESTALE);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p),
					    vsc_stor_rqst_id(GEN, 16), &c),
			 -ENOENT);
	p.operation = cpu_to_le32(VSC_VSTOR_OP_EXECUTE_SRB);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p),
					    vsc_stor_rqst_id(GEN, 1), &c),
			 -EBADMSG);
}

static void test_notifications(void **state)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_cpl c;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_ENUMERATE_BUS);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, VSC_VSTOR_HDR_SIZE, 0, &c),
			 VSC_STOR_CPL_NOTIFY);
	assert_int_equal(c.op, VSC_VSTOR_OP_ENUMERATE_BUS);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, 4, 0, &c), -EBADMSG);
	/* a completion without an id is never believed */
	p.operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), 0, &c),
			 -EOPNOTSUPP);
	p.operation = cpu_to_le32(VSC_VSTOR_OP_FCHBA_DATA);
	assert_int_equal(vsc_stor_cpl_parse(&ctx, &p, sizeof(p), 0, &c),
			 -EOPNOTSUPP);
}

static void test_can_queue(void **state)
{
	(void)state;
	assert_int_equal(vsc_stor_can_queue(0x40000, 0x40000), 0x40000 / 624);
	assert_int_equal(vsc_stor_can_queue(100, 0x40000), 1);
}

static void outcome(u8 srb, u8 scsi, const u8 *sense, u8 sense_len,
		    u32 moved, u8 op, struct vsc_stor_outcome *o)
{
	struct vsc_stor_cpl c = {
		.srb_status = srb, .scsi_status = scsi, .sense_len = sense_len,
		.requested = 4096, .transferred = moved,
	};

	if (sense_len)
		memcpy(c.sense, sense, sense_len);
	vsc_stor_outcome(&c, op, o);
}

static void test_outcome(void **state)
{
	u8 fixed[18] = { 0x70, 0, 5, [7] = 10, [12] = 0x24 };
	u8 cap[18] = { 0x70, 0, 6, [7] = 10, [12] = 0x2a, [13] = 0x09 };
	u8 desc[8] = { 0x72, 6, 0x3f, 0x05 };
	struct vsc_stor_outcome o;

	(void)state;
	outcome(VSC_SRB_STATUS_SUCCESS, 0, NULL, 0, 1024, 0x28, &o);
	assert_int_equal(o.verdict, VSC_STOR_DONE);
	assert_int_equal(o.resid, 3072);
	/* check condition with sense: the midlayer decides */
	outcome(0x84, 2, fixed, 18, 0, 0x28, &o);
	assert_int_equal(o.verdict, VSC_STOR_DONE);
	assert_int_equal(o.resid, 4096);
	/* capacity changed, parameters changed (descriptor sense): rescan */
	outcome(0x84, 2, cap, 18, 0, 0x28, &o);
	assert_int_equal(o.verdict, VSC_STOR_REQUEUE);
	assert_true(o.rescan);
	outcome(0x84, 2, desc, 8, 0, 0x28, &o);
	assert_int_equal(o.verdict, VSC_STOR_REQUEUE);
	/* errors without sense; TEST UNIT READY is let through */
	outcome(VSC_SRB_STATUS_ERROR, 0, NULL, 0, 0, 0x28, &o);
	assert_int_equal(o.verdict, VSC_STOR_ERROR);
	outcome(VSC_SRB_STATUS_ERROR, 0, NULL, 0, 0, 0x00, &o);
	assert_int_equal(o.verdict, VSC_STOR_DONE);
	/* a short transfer */
	outcome(VSC_SRB_STATUS_DATA_OVERRUN, 0, NULL, 0, 512, 0x12, &o);
	assert_int_equal(o.verdict, VSC_STOR_DONE);
	assert_int_equal(o.resid, 3584);
	outcome(VSC_SRB_STATUS_INVALID_LUN, 0, NULL, 0, 0, 0x12, &o);
	assert_int_equal(o.verdict, VSC_STOR_NO_DEVICE);
	assert_true(o.remove_lun);
	outcome(VSC_SRB_STATUS_BUSY, 0, NULL, 0, 0, 0x2a, &o);
	assert_int_equal(o.verdict, VSC_STOR_BUSY);
	outcome(0x3f, 0, NULL, 0, 0, 0x2a, &o);
	assert_int_equal(o.verdict, VSC_STOR_ERROR);
}

/* Answers @op's packet with @status; properties carry a 256 KiB transfer. */
static void answer(struct vsc_vstor_packet *a, u32 status)
{
	memset(a, 0, sizeof(*a));
	a->operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	a->status = cpu_to_le32(status);
	a->props.max_transfer_bytes = cpu_to_le32(0x40000);
}

static void test_init_sequence(void **state)
{
	struct vsc_vstor_packet out, a;
	struct vsc_stor_init s;

	(void)state;
	vsc_stor_init_start(&s, &out);
	assert_int_equal(le32_to_cpu(out.operation), 7);
	assert_string_equal(vsc_stor_init_step(&s), "begin initialization");
	answer(&a, 0);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), 1);
	assert_int_equal(le16_to_cpu(out.version.major_minor), 0x0602);
	/* 6.2 and 6.0 refused, 5.1 taken */
	answer(&a, VSC_VSTOR_ST_REVISION_MISMATCH);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), 1);
	assert_int_equal(le16_to_cpu(out.version.major_minor), 0x0600);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), 1);
	assert_int_equal(le16_to_cpu(out.version.major_minor), 0x0501);
	answer(&a, 0);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), 1);
	assert_int_equal(le32_to_cpu(out.operation), 10);
	assert_int_equal(s.version, 0x0501);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), 1);
	assert_int_equal(le32_to_cpu(out.operation), 8);
	assert_int_equal(s.props.max_transfer, 0x40000);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), 0);
	assert_int_equal(s.state, VSC_STOR_INIT_DONE);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), -EINVAL);
}

static void test_init_failures(void **state)
{
	struct vsc_vstor_packet out, a;
	struct vsc_stor_init s;

	(void)state;
	/* every version refused */
	vsc_stor_init_start(&s, &out);
	answer(&a, 0);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	answer(&a, VSC_VSTOR_ST_REVISION_MISMATCH);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out),
			 -EPROTONOSUPPORT);
	assert_string_equal(vsc_stor_init_step(&s), "protocol version");
	/* a short answer to BEGIN */
	vsc_stor_init_start(&s, &out);
	assert_int_equal(vsc_stor_init_next(&s, &a, 12, &out), -EBADMSG);
	assert_string_equal(vsc_stor_init_step(&s), "begin initialization");
	/* properties with no usable transfer size */
	vsc_stor_init_start(&s, &out);
	answer(&a, 0);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	a.props.max_transfer_bytes = 0;
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), -EINVAL);
	assert_string_equal(vsc_stor_init_step(&s), "query properties");
	/* END refused */
	vsc_stor_init_start(&s, &out);
	answer(&a, 0);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	vsc_stor_init_next(&s, &a, sizeof(a), &out);
	answer(&a, VSC_VSTOR_ST_UNSUCCESSFUL);
	assert_int_equal(vsc_stor_init_next(&s, &a, sizeof(a), &out), -EIO);
	assert_int_equal(s.status, VSC_VSTOR_ST_UNSUCCESSFUL);
	assert_string_equal(vsc_stor_init_step(&s), "end initialization");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_packets),
		cmocka_unit_test(test_init_reply),
		cmocka_unit_test(test_props),
		cmocka_unit_test(test_build_srb),
		cmocka_unit_test(test_worst_pkt),
		cmocka_unit_test(test_cpl_good),
		cmocka_unit_test(test_cpl_short_and_errors),
		cmocka_unit_test(test_cpl_sense),
		cmocka_unit_test(test_cpl_bad_ids_and_lengths),
		cmocka_unit_test(test_notifications),
		cmocka_unit_test(test_can_queue),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_init_sequence),
		cmocka_unit_test(test_init_failures),
	};

	return cmocka_run_group_tests_name("storvsc_proto", tests, NULL, NULL);
}
