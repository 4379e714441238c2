// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the request id table (drivers/vmbus/rqstor.c): ids from
 * the free list, stale, duplicate and unknown ids refused, a full table,
 * and a drain that hands back every request in flight.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "vmbus/vsc_vmbus.h"

#define VSC_RQ_TEST_SLOTS	4

static void vsc_rqstor_test_init(struct kunit *test, struct vsc_vmbus_rqstor *r)
{
	KUNIT_ASSERT_EQ(test, vsc_vmbus_rqstor_init(r, VSC_RQ_TEST_SLOTS), 0);
}

static void vsc_rqstor_ids_match(struct kunit *test)
{
	struct vsc_vmbus_rqstor r;
	u64 id, again;
	void *ctx;

	vsc_rqstor_test_init(test, &r);
	id = vsc_vmbus_rqstor_get(&r, (void *)0x10);
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_NE(test, (u32)id, 0);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, id, &ctx), 0);
	KUNIT_EXPECT_PTR_EQ(test, ctx, (void *)0x10);
	/* A duplicate completion, and the slot reused: the old id is stale. */
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, id, &ctx), -ENOENT);
	again = vsc_vmbus_rqstor_get(&r, (void *)0x20);
	KUNIT_EXPECT_EQ(test, (u32)again, (u32)id);
	KUNIT_EXPECT_NE(test, again, id);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, id, &ctx), -ENOENT);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, 0, &ctx), -ENOENT);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, VSC_RQ_TEST_SLOTS + 1, &ctx),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, again, &ctx), 0);
	vsc_vmbus_rqstor_destroy(&r);
}

static void vsc_rqstor_full(struct kunit *test)
{
	u64 ids[VSC_RQ_TEST_SLOTS];
	struct vsc_vmbus_rqstor r;
	unsigned int i;
	void *ctx;

	vsc_rqstor_test_init(test, &r);
	for (i = 0; i < VSC_RQ_TEST_SLOTS; i++) {
		ids[i] = vsc_vmbus_rqstor_get(&r, NULL);
		KUNIT_EXPECT_NE(test, ids[i], 0);
	}
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_get(&r, NULL), 0);
	KUNIT_EXPECT_EQ(test, r.used, VSC_RQ_TEST_SLOTS);
	/* The slot given back is the next one taken. */
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, ids[2], &ctx), 0);
	KUNIT_EXPECT_EQ(test, (u32)vsc_vmbus_rqstor_get(&r, NULL), (u32)ids[2]);
	vsc_vmbus_rqstor_destroy(&r);
}

static void vsc_rqstor_test_count(void *ctx, void *arg)
{
	unsigned long *sum = arg;

	*sum += (unsigned long)ctx;
}

static void vsc_rqstor_drain(struct kunit *test)
{
	struct vsc_vmbus_rqstor r;
	unsigned long sum = 0;
	u64 a, b, c;
	void *ctx;

	vsc_rqstor_test_init(test, &r);
	a = vsc_vmbus_rqstor_get(&r, (void *)1);
	b = vsc_vmbus_rqstor_get(&r, (void *)2);
	c = vsc_vmbus_rqstor_get(&r, (void *)4);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, b, &ctx), 0);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_drain(&r, vsc_rqstor_test_count, &sum), 2);
	KUNIT_EXPECT_EQ(test, sum, 5);
	KUNIT_EXPECT_EQ(test, r.used, 0);
	/* A completion after the drain is refused as stale. */
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, a, &ctx), -ENOENT);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_take(&r, c, &ctx), -ENOENT);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_rqstor_drain(&r, NULL, NULL), 0);
	vsc_vmbus_rqstor_destroy(&r);
}

static struct kunit_case vsc_rqstor_cases[] = {
	KUNIT_CASE(vsc_rqstor_ids_match),
	KUNIT_CASE(vsc_rqstor_full),
	KUNIT_CASE(vsc_rqstor_drain),
	{}
};

static struct kunit_suite vsc_rqstor_suite = {
	.name = "vsc_vmbus_rqstor",
	.test_cases = vsc_rqstor_cases,
};
kunit_test_suite(vsc_rqstor_suite);

MODULE_DESCRIPTION("KUnit tests of vsc_vmbus's request id table");
MODULE_LICENSE("GPL");
