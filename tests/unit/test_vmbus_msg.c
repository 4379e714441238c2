// SPDX-License-Identifier: GPL-2.0
/* The guest's parser of host channel messages (drivers/vmbus/msg.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vmbus/msg.h"

static struct vsc_vmbus_hmsg out;

static int parse(const void *m, size_t len)
{
	return vsc_vmbus_msg_parse(m, (u32)len, &out);
}

static void test_short_and_unknown(void **state)
{
	struct vsc_vmbus_msg_header h = { .msgtype = cpu_to_le32(99) };
	u8 b[4] = { 4 };

	(void)state;
	assert_int_equal(parse(b, sizeof(b)), -EMSGSIZE);
	assert_int_equal(parse(&h, sizeof(h)), -EOPNOTSUPP);
	h.msgtype = cpu_to_le32(VSC_VMBUS_MSG_COUNT);
	assert_int_equal(parse(&h, sizeof(h)), -EOPNOTSUPP);
	h.msgtype = cpu_to_le32(0x80000004);
	assert_int_equal(parse(&h, sizeof(h)), -EOPNOTSUPP);
	assert_string_equal(vsc_vmbus_msg_name(99), "unknown");
}

static void test_guest_types_refused(void **state)
{
	static const u32 guest_only[] = {
		VSC_VMBUS_MSG_REQUESTOFFERS, VSC_VMBUS_MSG_OPENCHANNEL,
		VSC_VMBUS_MSG_CLOSECHANNEL, VSC_VMBUS_MSG_GPADL_HEADER,
		VSC_VMBUS_MSG_GPADL_BODY, VSC_VMBUS_MSG_GPADL_TEARDOWN,
		VSC_VMBUS_MSG_RELID_RELEASED, VSC_VMBUS_MSG_INITIATE_CONTACT,
		VSC_VMBUS_MSG_UNLOAD, VSC_VMBUS_MSG_MODIFYCHANNEL,
		VSC_VMBUS_MSG_INVALID,
	};
	u8 big[240] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(guest_only) / sizeof(guest_only[0]); i++) {
		((struct vsc_vmbus_msg_header *)big)->msgtype =
			cpu_to_le32(guest_only[i]);
		assert_int_equal(parse(big, sizeof(big)), -EOPNOTSUPP);
	}
}

static void test_offer(void **state)
{
	struct vsc_vmbus_offer_channel m = { 0 };

	(void)state;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_OFFERCHANNEL);
	m.offer.if_type = VSC_CLASS_STORVSC;
	m.child_relid = cpu_to_le32(14);
	m.connection_id = cpu_to_le32(0x2000e);
	assert_int_equal(parse(&m, sizeof(m)), 0);
	assert_int_equal(out.relid, 14);
	assert_memory_equal(&out.offer, &m, sizeof(m));
	assert_int_equal(parse(&m, sizeof(m) - 1), -EMSGSIZE);
	m.child_relid = 0;
	assert_int_equal(parse(&m, sizeof(m)), -ERANGE);
	m.child_relid = cpu_to_le32(VSC_VMBUS_MAX_RELID + 1);
	assert_int_equal(parse(&m, sizeof(m)), -ERANGE);
	m.child_relid = cpu_to_le32(VSC_VMBUS_MAX_RELID);
	assert_int_equal(parse(&m, sizeof(m)), 0);
}

static void test_replies(void **state)
{
	struct vsc_vmbus_open_result o = { 0 };
	struct vsc_vmbus_gpadl_created g = { 0 };
	struct vsc_vmbus_gpadl_torndown t = { 0 };
	struct vsc_vmbus_relid_msg r = { 0 };
	struct vsc_vmbus_modifychannel_response mr = { 0 };

	(void)state;
	o.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	o.child_relid = cpu_to_le32(3);
	o.openid = cpu_to_le32(7);
	o.status = cpu_to_le32(0xc0000001);
	assert_int_equal(parse(&o, sizeof(o)), 0);
	assert_int_equal(out.relid, 3);
	assert_int_equal(out.openid, 7);
	assert_int_equal(out.status, 0xc0000001);
	assert_int_equal(parse(&o, sizeof(o) - 4), -EMSGSIZE);

	g.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_CREATED);
	g.child_relid = cpu_to_le32(3);
	g.gpadl = cpu_to_le32(0xe1e10);
	assert_int_equal(parse(&g, sizeof(g)), 0);
	assert_int_equal(out.gpadl, 0xe1e10);
	assert_int_equal(out.status, 0);

	t.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_TORNDOWN);
	t.gpadl = cpu_to_le32(0xe1e11);
	assert_int_equal(parse(&t, sizeof(t)), 0);
	assert_int_equal(out.gpadl, 0xe1e11);

	r.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_RESCIND_CHANNELOFFER);
	r.child_relid = cpu_to_le32(9);
	assert_int_equal(parse(&r, sizeof(r)), 0);
	assert_int_equal(out.relid, 9);
	assert_int_equal(parse(&r, 8), -EMSGSIZE);

	mr.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE);
	mr.child_relid = cpu_to_le32(9);
	mr.status = cpu_to_le32(1);
	assert_int_equal(parse(&mr, sizeof(mr)), 0);
	assert_int_equal(out.status, 1);
}

static void test_version_response(void **state)
{
	struct vsc_vmbus_version_response v = { 0 };

	(void)state;
	v.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_VERSION_RESPONSE);
	v.version_supported = 1;
	v.msg_conn_id = cpu_to_le32(0x800074);
	assert_int_equal(parse(&v, sizeof(v)), 0);
	assert_int_equal(out.version_supported, 1);
	assert_int_equal(out.msg_conn_id, 0x800074);
	/* an older host's short answer: no connection id */
	assert_int_equal(parse(&v, 10), 0);
	assert_int_equal(out.msg_conn_id, 0);
	assert_int_equal(parse(&v, 9), -EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_and_unknown),
		cmocka_unit_test(test_guest_types_refused),
		cmocka_unit_test(test_offer),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_version_response),
	};

	return cmocka_run_group_tests_name("vmbus_msg", tests, NULL, NULL);
}
