// SPDX-License-Identifier: GPL-2.0
/*
 * Golden bytes for include/vsc/vstor.h. The expected values come from the
 * constants of the kernel's drivers/scsi/storvsc_drv.c (6.12), written out
 * here as numbers: VSTOR_OPERATION_EXECUTE_SRB 3, REQUEST_COMPLETION_FLAG 1,
 * sizeof(struct vmscsi_request) 0x34, STORVSC_SENSE_BUFFER_SIZE 0x14,
 * READ_TYPE 1, VMSTOR_PROTO_VERSION_WIN10 0x0602, and so on. A field that
 * moves or changes width breaks one of these strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <vsc/vstor.h>

#include "golden.h"

static void test_versions(void **state)
{
	(void)state;
	/* VMSTOR_PROTO_VERSION(major, minor): major in the high byte */
	assert_int_equal(VSC_VSTOR_VERSION_WIN6, 0x0200);
	assert_int_equal(VSC_VSTOR_VERSION_WIN7, 0x0402);
	assert_int_equal(VSC_VSTOR_VERSION_WIN8, 0x0501);
	assert_int_equal(VSC_VSTOR_VERSION_WIN8_1, 0x0600);
	assert_int_equal(VSC_VSTOR_VERSION_WIN10, 0x0602);
}

static void test_sizes_per_version(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct vsc_vstor_packet), 0x40);
	assert_int_equal(sizeof(struct vsc_vstor_srb), 0x34);
	assert_int_equal(VSC_VSTOR_SIZE_DELTA, 0x10);
	assert_int_equal(vsc_vstor_packet_size(VSC_VSTOR_VERSION_WIN10), 0x40);
	assert_int_equal(vsc_vstor_packet_size(VSC_VSTOR_VERSION_WIN8_1), 0x40);
	assert_int_equal(vsc_vstor_packet_size(VSC_VSTOR_VERSION_WIN8), 0x40);
	assert_int_equal(vsc_vstor_packet_size(VSC_VSTOR_VERSION_WIN7), 0x30);
	assert_int_equal(vsc_vstor_packet_size(0), 0x40);
	assert_int_equal(vsc_vstor_sense_size(VSC_VSTOR_VERSION_WIN10), 0x14);
	assert_int_equal(vsc_vstor_sense_size(VSC_VSTOR_VERSION_WIN7), 0x12);
}

static void test_operations(void **state)
{
	(void)state;
	assert_int_equal(VSC_VSTOR_OP_COMPLETE_IO, 1);
	assert_int_equal(VSC_VSTOR_OP_EXECUTE_SRB, 3);
	assert_int_equal(VSC_VSTOR_OP_RESET_BUS, 6);
	assert_int_equal(VSC_VSTOR_OP_BEGIN_INITIALIZATION, 7);
	assert_int_equal(VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, 9);
	assert_int_equal(VSC_VSTOR_OP_QUERY_PROPERTIES, 10);
	assert_int_equal(VSC_VSTOR_OP_ENUMERATE_BUS, 11);
	assert_int_equal(VSC_VSTOR_OP_CREATE_SUB_CHANNELS, 13);
	assert_int_equal(VSC_VSTOR_OP_MAX, 13);
}

static void test_srb_status(void **state)
{
	(void)state;
	assert_int_equal(VSC_SRB_STATUS_AUTOSENSE_VALID, 0x80);
	assert_int_equal(VSC_SRB_STATUS_QUEUE_FROZEN, 0x40);
	assert_int_equal(VSC_SRB_STATUS_CODE(0xc4), VSC_SRB_STATUS_ERROR);
	assert_int_equal(VSC_SRB_STATUS_DATA_OVERRUN, 0x12);
	assert_int_equal(VSC_SRB_STATUS_INVALID_LUN, 0x20);
	assert_int_equal(VSC_SRB_STATUS_INTERNAL_ERROR, 0x30);
	assert_int_equal(VSC_SRB_FLAGS_DATA_IN, 0x40);
	assert_int_equal(VSC_SRB_FLAGS_DATA_OUT, 0x80);
	assert_int_equal(VSC_SRB_FLAGS_DISABLE_SYNCH_TRANSFER, 0x08);
}

/* A READ(10) of 8 blocks at LBA 0x11223344, as storvsc_queuecommand sends it. */
static void test_execute_srb_packet(void **state)
{
	struct vsc_vstor_packet p;
	static const uint8_t cdb[10] = { 0x28, 0, 0x11, 0x22, 0x33, 0x44,
					 0, 0, 8, 0 };

	(void)state;
	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_EXECUTE_SRB);
	p.flags = cpu_to_le32(VSC_VSTOR_FLAG_REQUEST_COMPLETION);
	p.srb.length = cpu_to_le16(sizeof(p.srb));
	p.srb.port_number = 2;
	p.srb.path_id = 0;
	p.srb.target_id = 1;
	p.srb.lun = 5;
	p.srb.cdb_length = sizeof(cdb);
	p.srb.sense_info_length = VSC_VSTOR_SENSE_SIZE;
	p.srb.data_in = VSC_VSTOR_DIR_READ;
	p.srb.data_transfer_length = cpu_to_le32(4096);
	memcpy(p.srb.cdb, cdb, sizeof(cdb));
	p.srb.queue_tag = VSC_SRB_UNTAGGED;
	p.srb.queue_action = VSC_SRB_SIMPLE_TAG_REQUEST;
	p.srb.srb_flags = cpu_to_le32(VSC_SRB_FLAGS_DATA_IN |
				      VSC_SRB_FLAGS_DISABLE_SYNCH_TRANSFER);
	p.srb.time_out_value = cpu_to_le32(180);
	p.srb.queue_sort_key = cpu_to_le32(0xa1b2c3d4);
	expect_bytes(&p, sizeof(p),
		     "03000000 01000000 00000000"
		     /* length 0x34, srb 0, scsi 0, port 2, path 0, target 1, lun 5 */
		     "3400 00 00 02 00 01 05"
		     /* cdb len 10, sense len 0x14, data_in 1, reserved */
		     "0a 14 01 00 00100000"
		     "28 00 11223344 00 00 08 00 000000000000 00000000"
		     /* reserve, queue tag, action, flags, timeout, sort key */
		     "0000 ff 20 48000000 b4000000 d4c3b2a1");
}

/* The host's answer: an error with 18 bytes of fixed sense. */
static void test_completion_with_sense(void **state)
{
	struct vsc_vstor_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	p.status = cpu_to_le32(VSC_VSTOR_ST_SUCCESS);
	p.srb.length = cpu_to_le16(sizeof(p.srb));
	p.srb.srb_status = VSC_SRB_STATUS_ERROR | VSC_SRB_STATUS_AUTOSENSE_VALID;
	p.srb.scsi_status = 0x02;
	p.srb.sense_info_length = 18;
	p.srb.data_transfer_length = cpu_to_le32(0);
	p.srb.sense_data[0] = 0x70;
	p.srb.sense_data[2] = 0x05;
	p.srb.sense_data[7] = 10;
	p.srb.sense_data[12] = 0x21;
	p.srb.sense_data[19] = 0xee;
	expect_bytes(&p, sizeof(p),
		     "01000000 00000000 00000000"
		     "3400 84 02 00 00 00 00 00 12 00 00 00000000"
		     "70 00 05 00000000 0a 00000000 21 .. @2f ee ..");
}

static void test_version_packet(void **state)
{
	struct vsc_vstor_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION);
	p.flags = cpu_to_le32(VSC_VSTOR_FLAG_REQUEST_COMPLETION);
	p.version.major_minor = cpu_to_le16(VSC_VSTOR_VERSION_WIN10);
	p.version.revision = 0;
	expect_bytes(&p, sizeof(p), "09000000 01000000 00000000 0206 0000 ..");
}

static void test_properties_packet(void **state)
{
	struct vsc_vstor_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	p.props.max_channel_cnt = cpu_to_le16(4);
	p.props.flags = cpu_to_le32(VSC_VSTOR_PROP_MULTI_CHANNEL);
	p.props.max_transfer_bytes = cpu_to_le32(0x40000);
	p.props.reserved2 = cpu_to_le64(0x0102030405060708ULL);
	expect_bytes(&p, sizeof(p),
		     "01000000 00000000 00000000"
		     "00000000 0400 0000 01000000 00000400 0807060504030201 ..");
}

static void test_sub_channel_packet(void **state)
{
	struct vsc_vstor_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_CREATE_SUB_CHANNELS);
	p.flags = cpu_to_le32(VSC_VSTOR_FLAG_REQUEST_COMPLETION);
	p.sub_channel_count = cpu_to_le16(3);
	expect_bytes(&p, sizeof(p), "0d000000 01000000 00000000 0300 ..");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_sizes_per_version),
		cmocka_unit_test(test_operations),
		cmocka_unit_test(test_srb_status),
		cmocka_unit_test(test_execute_srb_packet),
		cmocka_unit_test(test_completion_with_sense),
		cmocka_unit_test(test_version_packet),
		cmocka_unit_test(test_properties_packet),
		cmocka_unit_test(test_sub_channel_packet),
	};

	return cmocka_run_group_tests_name("vstor_wire", tests, NULL, NULL);
}
