// SPDX-License-Identifier: GPL-2.0
/*
 * Golden byte sequences for the wire formats in include/vsc/: each test
 * fills a structure through the byte-order helpers and compares the bytes
 * with the layout the protocol defines (docs/protocol-facts.md 1 and 2).
 * The static asserts in the headers pin sizes and offsets at compile time;
 * these tests pin the encoding of every field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <vsc/hv.h>
#include <vsc/vmbus.h>
#include <vsc/ring.h>
#include <vsc/sim.h>

#include "golden.h"

static void test_guid_encoding(void **state)
{
	struct vsc_guid g = VSC_CLASS_STORVSC;

	(void)state;
	/* ba6163d9-04a1-4d29-b605-72e2ffb1dc7f, first three fields LE */
	expect_bytes(&g, sizeof(g), "d96361ba a104 294d b605 72e2ffb1dc7f");
}

static void test_post_message(void **state)
{
	struct vsc_hv_post_message m = { 0 };

	(void)state;
	m.connection_id = cpu_to_le32(VSC_VMBUS_MESSAGE_CONNECTION_ID_4);
	m.message_type = cpu_to_le32(VSC_HV_MSGTYPE_VMBUS);
	m.payload_size = cpu_to_le32(40);
	m.payload[0] = 0x0e;
	m.payload[239] = 0xee;
	expect_bytes(&m, sizeof(m),
		     "04000000 00000000 01000000 28000000 0e .. @ff ee");
}

static void test_signal_event(void **state)
{
	struct vsc_hv_signal_event s = { 0 };
	uint64_t q;

	(void)state;
	s.connection_id = cpu_to_le32(0x10203);
	s.flag_number = cpu_to_le16(5);
	expect_bytes(&s, sizeof(s), "03020100 0500 0000");
	memcpy(&q, &s, sizeof(q));
	assert_int_equal(le64toh(q), 0x0000000500010203ULL);
}

static void test_message_slot(void **state)
{
	struct vsc_hv_message_page page;
	struct vsc_hv_message *m = &page.slot[VSC_VMBUS_SINT];

	(void)state;
	memset(&page, 0, sizeof(page));
	m->header.message_type = cpu_to_le32(VSC_HV_MSGTYPE_VMBUS);
	m->header.payload_size = 16;
	m->header.message_flags = VSC_HV_MSG_PENDING;
	m->header.sender = cpu_to_le64(0x1122334455667788ULL);
	m->payload[0] = 0xab;
	assert_int_equal((uint8_t *)m - (uint8_t *)&page, 512);
	expect_bytes(m, sizeof(*m),
		     "01000000 10 01 0000 8877665544332211 ab ..");
}

static void test_event_flags(void **state)
{
	struct vsc_hv_event_flags_page page;
	uint8_t *bytes = (uint8_t *)&page.sint[VSC_VMBUS_SINT];

	(void)state;
	memset(&page, 0, sizeof(page));
	/* relid 9 is bit 9 of the SINT 2 area: byte 1, bit 1 */
	page.sint[VSC_VMBUS_SINT].flags[0] = cpu_to_le64(1ULL << 9);
	assert_int_equal(bytes - (uint8_t *)&page, 512);
	expect_bytes(bytes, VSC_HV_EVENT_FLAGS_BYTES, "00 02 ..");
}

static void test_initiate_contact_v5(void **state)
{
	struct vsc_vmbus_initiate_contact m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_INITIATE_CONTACT);
	m.vmbus_version_requested = cpu_to_le32(VSC_VMBUS_VERSION_WIN10_V5_3);
	m.target_vcpu = cpu_to_le32(1);
	m.msg_sint = VSC_VMBUS_SINT;
	m.monitor_page1 = cpu_to_le64(0x1000);
	m.monitor_page2 = cpu_to_le64(0x2000);
	expect_bytes(&m, sizeof(m),
		     "0e000000 00000000 03000500 01000000 02 00 0000 00000000"
		     "0010000000000000 0020000000000000");
}

static void test_initiate_contact_v4(void **state)
{
	struct vsc_vmbus_initiate_contact m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_INITIATE_CONTACT);
	m.vmbus_version_requested = cpu_to_le32(VSC_VMBUS_VERSION_WIN10);
	m.interrupt_page = cpu_to_le64(0x123456000ULL);
	expect_bytes(&m, sizeof(m),
		     "0e000000 00000000 00000400 00000000 0060452301000000 ..");
}

static void test_version_response(void **state)
{
	struct vsc_vmbus_version_response m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_VERSION_RESPONSE);
	m.version_supported = 1;
	m.connection_state = VSC_VMBUS_CONNECTION_OK;
	m.msg_conn_id = cpu_to_le32(0x800074);
	expect_bytes(&m, sizeof(m), "0f000000 00000000 01 00 0000 74008000");
}

static void test_offer_channel(void **state)
{
	struct vsc_vmbus_offer_channel m;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_OFFERCHANNEL);
	m.offer.if_type = VSC_CLASS_NETVSC;
	m.offer.if_instance = VSC_GUID(0x01020304, 0x0506, 0x0708,
				       9, 10, 11, 12, 13, 14, 15, 16);
	m.offer.chn_flags = cpu_to_le16(VSC_VMBUS_OFFER_SERVER_SUPPORTS_GPADLS);
	m.offer.mmio_megabytes = cpu_to_le16(0x0102);
	m.offer.user_defined[0] = 0x55;
	m.offer.sub_channel_index = cpu_to_le16(3);
	m.child_relid = cpu_to_le32(0x0a);
	m.monitorid = 0x21;
	m.monitor_flags = VSC_VMBUS_OFFER_MONITOR_ALLOCATED;
	m.interrupt_flags = cpu_to_le16(VSC_VMBUS_OFFER_DEDICATED_INTERRUPT);
	m.connection_id = cpu_to_le32(0x2000a);
	expect_bytes(&m, sizeof(m),
		     "01000000 00000000"
		     "635161f8 3edf c546 913f f2d2f965ed0e"
		     "04030201 0605 0807 090a0b0c0d0e0f10"
		     ".. @38 0400 0201 55 .. @b4 0300 0000"
		     "0a000000 21 01 0100 0a000200");
}

static void test_relid_msgs(void **state)
{
	static const enum vsc_vmbus_msgtype types[] = {
		VSC_VMBUS_MSG_RESCIND_CHANNELOFFER,
		VSC_VMBUS_MSG_CLOSECHANNEL,
		VSC_VMBUS_MSG_RELID_RELEASED,
	};
	static const char *const golden[] = {
		"02000000 00000000 07000000",
		"07000000 00000000 07000000",
		"0d000000 00000000 07000000",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct vsc_vmbus_relid_msg m = { 0 };

		m.header.msgtype = cpu_to_le32(types[i]);
		m.child_relid = cpu_to_le32(7);
		expect_bytes(&m, sizeof(m), golden[i]);
	}
}

static void test_open_channel(void **state)
{
	struct vsc_vmbus_open_channel m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_OPENCHANNEL);
	m.child_relid = cpu_to_le32(5);
	m.openid = cpu_to_le32(6);
	m.ringbuffer_gpadl = cpu_to_le32(0xe1e10);
	m.target_vp = cpu_to_le32(1);
	m.downstream_ring_pageoffset = cpu_to_le32(17);
	m.userdata[119] = 0x77;
	expect_bytes(&m, sizeof(m),
		     "05000000 00000000 05000000 06000000 101e0e00 01000000"
		     "11000000 .. @93 77");
}

static void test_open_result(void **state)
{
	struct vsc_vmbus_open_result m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	m.child_relid = cpu_to_le32(5);
	m.openid = cpu_to_le32(6);
	m.status = cpu_to_le32(0xc0000001);
	expect_bytes(&m, sizeof(m),
		     "06000000 00000000 05000000 06000000 010000c0");
}

static void test_gpadl_header(void **state)
{
	uint8_t buf[VSC_HV_MESSAGE_PAYLOAD] = { 0 };
	struct vsc_vmbus_gpadl_header *m = (void *)buf;
	struct vsc_gpa_range *r = (void *)(m + 1);
	size_t len = sizeof(*m) + sizeof(*r) + 2 * sizeof(__le64);

	(void)state;
	m->header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_HEADER);
	m->child_relid = cpu_to_le32(3);
	m->gpadl = cpu_to_le32(0xe1e10);
	m->range_buflen = cpu_to_le16(sizeof(*r) + 2 * sizeof(__le64));
	m->rangecount = cpu_to_le16(1);
	r->byte_count = cpu_to_le32(0x2000);
	r->byte_offset = cpu_to_le32(0);
	r->pfn[0] = cpu_to_le64(0x12345);
	r->pfn[1] = cpu_to_le64(0x12346);
	expect_bytes(buf, len,
		     "08000000 00000000 03000000 101e0e00 1800 0100"
		     "00200000 00000000 4523010000000000 4623010000000000");
	assert_int_equal(VSC_VMBUS_GPADL_HEADER_PFNS, 26);
}

static void test_gpadl_body(void **state)
{
	uint8_t buf[VSC_HV_MESSAGE_PAYLOAD] = { 0 };
	struct vsc_vmbus_gpadl_body *m = (void *)buf;

	(void)state;
	m->header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_BODY);
	m->msgnumber = cpu_to_le32(1);
	m->gpadl = cpu_to_le32(0xe1e10);
	m->pfn[0] = cpu_to_le64(0xabcdef);
	expect_bytes(buf, sizeof(*m) + 8,
		     "09000000 00000000 01000000 101e0e00 efcdab0000000000");
	assert_int_equal(VSC_VMBUS_GPADL_BODY_PFNS, 28);
}

static void test_gpadl_created(void **state)
{
	struct vsc_vmbus_gpadl_created m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_CREATED);
	m.child_relid = cpu_to_le32(3);
	m.gpadl = cpu_to_le32(0xe1e10);
	expect_bytes(&m, sizeof(m),
		     "0a000000 00000000 03000000 101e0e00 00000000");
}

static void test_gpadl_teardown(void **state)
{
	struct vsc_vmbus_gpadl_teardown t = { 0 };
	struct vsc_vmbus_gpadl_torndown d = { 0 };

	(void)state;
	t.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_TEARDOWN);
	t.child_relid = cpu_to_le32(3);
	t.gpadl = cpu_to_le32(0xe1e11);
	expect_bytes(&t, sizeof(t), "0b000000 00000000 03000000 111e0e00");
	d.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_TORNDOWN);
	d.gpadl = cpu_to_le32(0xe1e11);
	expect_bytes(&d, sizeof(d), "0c000000 00000000 111e0e00");
}

static void test_tl_connect_request(void **state)
{
	struct vsc_vmbus_tl_connect_request m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_TL_CONNECT_REQUEST);
	m.guest_endpoint_id.b[0] = 0x11;
	m.host_service_id.b[15] = 0x22;
	expect_bytes(&m, sizeof(m), "15000000 00000000 11 .. @27 22");
}

static void test_modifychannel(void **state)
{
	struct vsc_vmbus_modifychannel m = { 0 };
	struct vsc_vmbus_modifychannel_response r = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_MODIFYCHANNEL);
	m.child_relid = cpu_to_le32(4);
	m.target_vp = cpu_to_le32(1);
	expect_bytes(&m, sizeof(m), "16000000 00000000 04000000 01000000");
	r.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE);
	r.child_relid = cpu_to_le32(4);
	r.status = cpu_to_le32(0xc000000d);
	expect_bytes(&r, sizeof(r), "18000000 00000000 04000000 0d0000c0");
}

static void test_bodyless_msgs(void **state)
{
	struct vsc_vmbus_msg_header h = { 0 };

	(void)state;
	h.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS);
	expect_bytes(&h, sizeof(h), "03000000 00000000");
	h.msgtype = cpu_to_le32(VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	expect_bytes(&h, sizeof(h), "04000000 00000000");
	h.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD);
	expect_bytes(&h, sizeof(h), "10000000 00000000");
	h.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD_RESPONSE);
	expect_bytes(&h, sizeof(h), "11000000 00000000");
}

static void test_ring_control(void **state)
{
	static struct vsc_ring_control c;

	(void)state;
	c.write_index = cpu_to_le32(0x100);
	c.read_index = cpu_to_le32(0x80);
	c.interrupt_mask = cpu_to_le32(1);
	c.pending_send_sz = cpu_to_le32(0x1000);
	c.feature_bits = cpu_to_le32(VSC_RING_FEAT_PENDING_SEND_SZ);
	expect_bytes(&c, sizeof(c),
		     "00010000 80000000 01000000 00100000 .. @40 01000000 ..");
}

static void test_packet_desc(void **state)
{
	struct vsc_packet_desc d = { 0 };

	(void)state;
	d.type = cpu_to_le16(VSC_PKT_COMPLETION);
	d.offset8 = cpu_to_le16(2);
	d.len8 = cpu_to_le16(10);
	d.flags = cpu_to_le16(VSC_PKT_FLAG_COMPLETION_REQUESTED);
	d.trans_id = cpu_to_le64(0x0000000300000001ULL);
	expect_bytes(&d, sizeof(d), "0b00 0200 0a00 0100 0100000003000000");
}

static void test_xfer_page_header(void **state)
{
	uint8_t buf[40] = { 0 };
	struct vsc_xfer_page_header *h = (void *)buf;

	(void)state;
	h->d.type = cpu_to_le16(VSC_PKT_DATA_XFER_PAGES);
	h->d.offset8 = cpu_to_le16(4);
	h->d.len8 = cpu_to_le16(5);
	h->xfer_pageset_id = cpu_to_le16(0xcafe);
	h->sender_owns_set = 1;
	h->range_count = cpu_to_le32(2);
	h->ranges[0].byte_count = cpu_to_le32(60);
	h->ranges[0].byte_offset = cpu_to_le32(0);
	h->ranges[1].byte_count = cpu_to_le32(1514);
	h->ranges[1].byte_offset = cpu_to_le32(1728);
	expect_bytes(buf, sizeof(buf),
		     "0700 0400 0500 0000 0000000000000000 feca 01 00 02000000"
		     "3c000000 00000000 ea050000 c0060000");
}

static void test_gpa_direct_header(void **state)
{
	uint8_t buf[48] = { 0 };
	struct vsc_gpa_direct_header *h = (void *)buf;
	struct vsc_gpa_range *r = (void *)(h + 1);

	(void)state;
	h->d.type = cpu_to_le16(VSC_PKT_DATA_GPA_DIRECT);
	h->d.offset8 = cpu_to_le16(5);
	h->d.flags = cpu_to_le16(VSC_PKT_FLAG_COMPLETION_REQUESTED);
	h->range_count = cpu_to_le32(1);
	r->byte_count = cpu_to_le32(0x1000);
	r->byte_offset = cpu_to_le32(0x200);
	r->pfn[0] = cpu_to_le64(0x4321);
	r->pfn[1] = cpu_to_le64(0x4322);
	expect_bytes(buf, sizeof(buf),
		     "0900 0500 0000 0100 0000000000000000 00000000 01000000"
		     "00100000 00020000 2143000000000000 2243000000000000");
}

static void test_gpadl_and_pageset_packets(void **state)
{
	struct vsc_gpadl_packet_header g = { 0 };
	struct vsc_xfer_pageset_packet p = { 0 };

	(void)state;
	g.d.type = cpu_to_le16(VSC_PKT_TEARDOWN_GPADL);
	g.gpadl = cpu_to_le32(0x10);
	expect_bytes(&g, sizeof(g), "0500 .. @10 10000000 00000000");
	p.d.type = cpu_to_le16(VSC_PKT_ADD_XFER_PAGESET);
	p.gpadl = cpu_to_le32(0x10);
	p.xfer_pageset_id = cpu_to_le16(1);
	expect_bytes(&p, sizeof(p), "0200 .. @10 10000000 0100 0000");
}

static void test_sim_header(void **state)
{
	struct vsc_sim_header h = { 0 };

	(void)state;
	h.magic = cpu_to_le64(VSC_SIM_MAGIC);
	h.version = cpu_to_le32(VSC_SIM_VERSION);
	h.header_size = cpu_to_le32(sizeof(h));
	h.nr_vps = cpu_to_le32(2);
	expect_bytes(&h, sizeof(h),
		     "56534353494d3031 01000000 40000000 00000000 02000000 ..");
	assert_memory_equal(&h, "VSCSIM01", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guid_encoding),
		cmocka_unit_test(test_post_message),
		cmocka_unit_test(test_signal_event),
		cmocka_unit_test(test_message_slot),
		cmocka_unit_test(test_event_flags),
		cmocka_unit_test(test_initiate_contact_v5),
		cmocka_unit_test(test_initiate_contact_v4),
		cmocka_unit_test(test_version_response),
		cmocka_unit_test(test_offer_channel),
		cmocka_unit_test(test_relid_msgs),
		cmocka_unit_test(test_open_channel),
		cmocka_unit_test(test_open_result),
		cmocka_unit_test(test_gpadl_header),
		cmocka_unit_test(test_gpadl_body),
		cmocka_unit_test(test_gpadl_created),
		cmocka_unit_test(test_gpadl_teardown),
		cmocka_unit_test(test_tl_connect_request),
		cmocka_unit_test(test_modifychannel),
		cmocka_unit_test(test_bodyless_msgs),
		cmocka_unit_test(test_ring_control),
		cmocka_unit_test(test_packet_desc),
		cmocka_unit_test(test_xfer_page_header),
		cmocka_unit_test(test_gpa_direct_header),
		cmocka_unit_test(test_gpadl_and_pageset_packets),
		cmocka_unit_test(test_sim_header),
	};

	return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
