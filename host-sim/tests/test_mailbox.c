// SPDX-License-Identifier: GPL-2.0
/* Mailbox slot parsing and taking (src/mailbox.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <vsc/sim.h>

#include "mailbox.h"
#include "shared.h"

static uint8_t bar2[VSC_SIM_BAR2_SIZE];

#define PROD (VSC_SIM_OFF_MAILBOX + offsetof(struct vsc_sim_mailbox, prod))
#define CONS (VSC_SIM_OFF_MAILBOX + offsetof(struct vsc_sim_mailbox, cons))

static struct vsc_hv_post_message mk(uint32_t conn, uint32_t type,
				     uint32_t size)
{
	struct vsc_hv_post_message m;

	memset(&m, 0xab, sizeof(m));
	m.connection_id = cpu_to_le32(conn);
	m.message_type = cpu_to_le32(type);
	m.payload_size = cpu_to_le32(size);
	return m;
}

static void test_parse(void **state)
{
	struct vsc_hv_post_message m;
	struct vsp_post p;

	(void)state;
	m = mk(VSC_SIM_ECHO_CONNECTION_ID, VSC_SIM_MSGTYPE_ECHO, 24);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_OK);
	assert_int_equal(p.size, 24);
	assert_int_equal(p.payload[23], 0xab);
	assert_int_equal(p.payload[24], 0);	/* nothing beyond size copied */
	m = mk(1, VSC_HV_MSGTYPE_VMBUS, 240);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_OK);
	m = mk(4, VSC_HV_MSGTYPE_VMBUS, 0);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_OK);
	m = mk(4, VSC_HV_MSGTYPE_VMBUS, 241);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_SIZE);
	m = mk(4, VSC_HV_MSGTYPE_VMBUS, 0xffffffff);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_SIZE);
	m = mk(2, VSC_HV_MSGTYPE_VMBUS, 8);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_CONN);
	/* The id from VERSION_RESPONSE is valid once the host gave it. */
	m = mk(0x20, VSC_HV_MSGTYPE_VMBUS, 8);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_CONN);
	assert_int_equal(vsp_post_parse(&m, 0x20, &p), VSP_POST_OK);
	m = mk(1, VSC_SIM_MSGTYPE_ECHO, 8);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_TYPE);
	m = mk(VSC_SIM_ECHO_CONNECTION_ID, VSC_HV_MSGTYPE_VMBUS, 8);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_TYPE);
	m = mk(VSC_SIM_ECHO_CONNECTION_ID, 0, 8);
	assert_int_equal(vsp_post_parse(&m, 0, &p), VSP_POST_BAD_TYPE);
}

static void test_peek(void **state)
{
	uint32_t avail, prod;

	(void)state;
	memset(bar2, 0, sizeof(bar2));
	assert_int_equal(vsp_mailbox_peek(bar2, 0, &avail, &prod),
			 VSP_MB_EMPTY);
	sh_store32(bar2, PROD, 32);
	assert_int_equal(vsp_mailbox_peek(bar2, 0, &avail, &prod),
			 VSP_MB_READY);
	assert_int_equal(avail, 32);
	sh_store32(bar2, PROD, 33);
	assert_int_equal(vsp_mailbox_peek(bar2, 0, &avail, &prod),
			 VSP_MB_CORRUPT);
	assert_int_equal(prod, 33);
	/* prod behind cons is as corrupt as far ahead. */
	sh_store32(bar2, PROD, 4);
	assert_int_equal(vsp_mailbox_peek(bar2, 5, &avail, &prod),
			 VSP_MB_CORRUPT);
	/* The counters wrap at 2^32. */
	sh_store32(bar2, PROD, 2);
	assert_int_equal(vsp_mailbox_peek(bar2, 0xfffffffeU, &avail, &prod),
			 VSP_MB_READY);
	assert_int_equal(avail, 4);
}

static void test_take_wrap(void **state)
{
	struct vsc_hv_post_message m, copy;
	uint32_t cons;

	(void)state;
	memset(bar2, 0, sizeof(bar2));
	for (cons = 0xfffffff0U; cons != 0x10; cons++) {
		m = mk(1, 1, cons & 0xff);
		memcpy(bar2 + VSC_SIM_OFF_SLOTS +
		       (cons % VSC_SIM_MAILBOX_SLOTS) * sizeof(m), &m,
		       sizeof(m));
		vsp_mailbox_take(bar2, cons, &copy);
		assert_memory_equal(&copy, &m, sizeof(m));
		assert_int_equal(sh_load32(bar2, CONS), cons + 1);
	}
	assert_int_equal(vsp_mailbox_cons(bar2), 0x10);
	vsp_mailbox_set_cons(bar2, 7);
	assert_int_equal(vsp_mailbox_cons(bar2), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_take_wrap),
	};

	return cmocka_run_group_tests_name("mailbox", tests, NULL, NULL);
}
