// SPDX-License-Identifier: GPL-2.0
/* SynIC register validation, slot delivery and event flags (src/synic.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "synic.h"

#define MiB (1ULL << 20)

static const struct vsp_ram_layout layout = {
	.size = 3072 * MiB, .below4g = 2048 * MiB,
};

static void test_reg_parse(void **state)
{
	uint64_t gpa = 0;

	(void)state;
	assert_int_equal(vsp_synic_reg_parse(0, &layout, &gpa), VSP_REG_OFF);
	/* Disabled values are not checked further. */
	assert_int_equal(vsp_synic_reg_parse(0xdeadbeef000ULL, &layout, &gpa),
			 VSP_REG_OFF);
	assert_int_equal(vsp_synic_reg_parse(0x200001, &layout, &gpa),
			 VSP_REG_ON);
	assert_int_equal(gpa, 0x200000);
	assert_int_equal(vsp_synic_reg_parse(0x100000001ULL, &layout, &gpa),
			 VSP_REG_ON);
	assert_int_equal(gpa, 0x100000000ULL);
	/* Reserved bits: the page would not be aligned. */
	assert_int_equal(vsp_synic_reg_parse(0x200801, &layout, &gpa),
			 VSP_REG_BAD_ALIGN);
	assert_int_equal(vsp_synic_reg_parse(0x200003, &layout, &gpa),
			 VSP_REG_BAD_ALIGN);
	/* Not RAM: the legacy hole, the PCI hole, past the end, all ones. */
	assert_int_equal(vsp_synic_reg_parse(0xa0001, &layout, &gpa),
			 VSP_REG_BAD_RANGE);
	assert_int_equal(vsp_synic_reg_parse(0x80000001ULL, &layout, &gpa),
			 VSP_REG_BAD_RANGE);
	assert_int_equal(vsp_synic_reg_parse(0x140000001ULL, &layout, &gpa),
			 VSP_REG_BAD_RANGE);
	assert_int_equal(vsp_synic_reg_parse(~0xffeULL, &layout, &gpa),
			 VSP_REG_BAD_RANGE);
	/* The last page of each region is fine. */
	assert_int_equal(vsp_synic_reg_parse(0x9f001, &layout, &gpa),
			 VSP_REG_ON);
	assert_int_equal(vsp_synic_reg_parse(0x7ffff001ULL, &layout, &gpa),
			 VSP_REG_ON);
	assert_int_equal(vsp_synic_reg_parse(0x13ffff001ULL, &layout, &gpa),
			 VSP_REG_ON);
}

static void test_slot(void **state)
{
	struct vsc_hv_message slot;
	struct vsp_msg m = { .type = 0x1234, .size = 3, .sender = 0x55,
			     .payload = { 1, 2, 3 } };

	(void)state;
	memset(&slot, 0xee, sizeof(slot));
	slot.header.message_type = 0;
	assert_true(vsp_slot_try_deliver(&slot, &m));
	assert_int_equal(le32_to_cpu(slot.header.message_type), 0x1234);
	assert_int_equal(slot.header.payload_size, 3);
	assert_int_equal(slot.header.message_flags, 0);
	assert_int_equal(le64_to_cpu(slot.header.sender), 0x55);
	assert_int_equal(slot.payload[2], 3);
	assert_int_equal(slot.payload[3], 0);	/* the rest is cleared */
	assert_int_equal(slot.payload[239], 0);
	/* Busy now: a second message does not overwrite it. */
	m.type = 7;
	assert_false(vsp_slot_try_deliver(&slot, &m));
	assert_int_equal(le32_to_cpu(slot.header.message_type), 0x1234);
	assert_true(vsp_slot_mark_pending(&slot));
	assert_int_equal(slot.header.message_flags, VSC_HV_MSG_PENDING);
	/* Freed by the guest: the flag is set but the slot is free. */
	slot.header.message_type = 0;
	assert_false(vsp_slot_mark_pending(&slot));
	assert_true(vsp_slot_try_deliver(&slot, &m));
	assert_int_equal(slot.header.message_flags, 0);
	assert_int_equal(vsp_slot_type(&slot), 7);
}

static void test_flags(void **state)
{
	struct vsc_hv_event_flags f;
	const uint8_t *b = (const uint8_t *)&f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_false(vsp_flags_any(&f));
	vsp_flags_set(&f, 0);
	vsp_flags_set(&f, 9);
	vsp_flags_set(&f, 2047);
	assert_true(vsp_flags_any(&f));
	/* Bit N is byte N / 8, bit N % 8: little-endian bitmap. */
	assert_int_equal(b[0], 0x01);
	assert_int_equal(b[1], 0x02);
	assert_int_equal(b[255], 0x80);
	vsp_flags_set(&f, 9);
	assert_int_equal(b[1], 0x02);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reg_parse),
		cmocka_unit_test(test_slot),
		cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests_name("synic", tests, NULL, NULL);
}
