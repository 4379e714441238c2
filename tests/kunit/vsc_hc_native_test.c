// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the native backend's encodings (drivers/hypercall/native_enc.h):
 * SynIC register values, hypercall inputs, and the refusal of a SynIC
 * that the in-tree hv_vmbus already owns, with register values standing
 * in for the MSRs.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "hypercall/native_enc.h"

static void vsc_hc_native_page_values(struct kunit *test)
{
	/* Reserved bits 1-11 survive, the enable bit and address are ours. */
	KUNIT_EXPECT_EQ(test, vsc_hc_synic_page_value(0, 0x12345000),
			0x12345001ULL);
	KUNIT_EXPECT_EQ(test, vsc_hc_synic_page_value(0xff0ULL | 0xabc000, 0x7000),
			0x7ff1ULL);
	KUNIT_EXPECT_EQ(test, vsc_hc_synic_page_value(0, 0x123456789000ULL),
			0x123456789001ULL);
}

static void vsc_hc_native_sint_values(struct kunit *test)
{
	u64 reset = VSC_SINT_MASKED;	/* a SINT's value after reset */

	KUNIT_EXPECT_EQ(test, vsc_hc_sint_value(reset, 0xf3, false), 0xf3ULL);
	KUNIT_EXPECT_EQ(test, vsc_hc_sint_value(reset, 0xf3, true),
			0xf3ULL | VSC_SINT_AUTO_EOI);
	/* polling and proxy are cleared, other high bits kept */
	KUNIT_EXPECT_EQ(test, vsc_hc_sint_value(BIT_ULL(40) | VSC_SINT_POLLING |
						VSC_SINT_PROXY | 0x22, 0xf3, false),
			BIT_ULL(40) | 0xf3ULL);
	KUNIT_EXPECT_EQ(test, vsc_hc_sint_masked(0xf3), 0xf3ULL | VSC_SINT_MASKED);
	KUNIT_EXPECT_EQ(test, VSC_MSR_SINT(VSC_VMBUS_SINT), 0x40000092U);
}

static void vsc_hc_native_refusal(struct kunit *test)
{
	/* Free: SIMP off, SINT 2 masked, as after boot without hv_vmbus. */
	KUNIT_EXPECT_NULL(test, vsc_hc_synic_taken(0, VSC_SINT_MASKED));
	KUNIT_EXPECT_NULL(test, vsc_hc_synic_taken(0x5000, VSC_SINT_MASKED | 0xf3));
	/* hv_vmbus loaded: both set. */
	KUNIT_EXPECT_NOT_NULL(test, vsc_hc_synic_taken(0x5001, 0xf3));
	KUNIT_EXPECT_NOT_NULL(test, vsc_hc_synic_taken(0x5001, VSC_SINT_MASKED));
	KUNIT_EXPECT_NOT_NULL(test, vsc_hc_synic_taken(0, 0xf3));
}

static void vsc_hc_native_inputs(struct kunit *test)
{
	struct vsc_hv_post_message in;
	static const u8 payload[3] = { 1, 2, 3 };

	KUNIT_EXPECT_EQ(test, vsc_hc_signal_input(0x2000a, 0), 0x2000aULL);
	KUNIT_EXPECT_EQ(test, vsc_hc_signal_input(0xff000004, 7), 0x700000004ULL);

	memset(&in, 0xaa, sizeof(in));
	vsc_hc_post_input(&in, 4, VSC_HV_MSGTYPE_VMBUS, payload, sizeof(payload));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(in.connection_id), 4U);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(in.reserved), 0U);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(in.message_type), 1U);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(in.payload_size), 3U);
	KUNIT_EXPECT_EQ(test, in.payload[2], 3);
	KUNIT_EXPECT_EQ(test, (u64)VSC_HC_POST_MESSAGE, 0x5cULL);
	KUNIT_EXPECT_EQ(test, (u64)VSC_HC_SIGNAL_EVENT, 0x5dULL);
}

static struct kunit_case vsc_hc_native_cases[] = {
	KUNIT_CASE(vsc_hc_native_page_values),
	KUNIT_CASE(vsc_hc_native_sint_values),
	KUNIT_CASE(vsc_hc_native_refusal),
	KUNIT_CASE(vsc_hc_native_inputs),
	{}
};

static struct kunit_suite vsc_hc_native_suite = {
	.name = "vsc_hypercall_native",
	.test_cases = vsc_hc_native_cases,
};
kunit_test_suite(vsc_hc_native_suite);

MODULE_DESCRIPTION("KUnit: encodings of the VSC hypercall shim's native backend");
MODULE_LICENSE("GPL");
