// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of vsc_vmbus_sg_to_gpa() (drivers/vmbus/gpa.c): DMA-mapped
 * scatterlists as one GPA range in 4 KiB pages, holes and overflows
 * refused.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "vmbus/vsc_vmbus.h"

#define VSC_GPA_TEST_PFNS	16

struct vsc_gpa_test_seg {
	u64 addr;
	u32 len;
};

/* Builds a mapped list of @n segments and converts it. */
static int vsc_gpa_test_run(struct kunit *test,
			    const struct vsc_gpa_test_seg *segs, unsigned int n,
			    struct vsc_gpa_range *r, u32 max_pfns)
{
	struct scatterlist *sgl = kunit_kcalloc(test, n, sizeof(*sgl), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sgl);
	sg_init_table(sgl, n);
	for_each_sg(sgl, sg, n, i) {
		sg_dma_address(sg) = segs[i].addr;
		sg_dma_len(sg) = segs[i].len;
	}
	return vsc_vmbus_sg_to_gpa(sgl, n, r, max_pfns);
}

static struct vsc_gpa_range *vsc_gpa_test_range(struct kunit *test)
{
	struct vsc_gpa_range *r;

	r = kunit_kzalloc(test, struct_size(r, pfn, VSC_GPA_TEST_PFNS), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

static void vsc_gpa_one_segment(struct kunit *test)
{
	const struct vsc_gpa_test_seg s[] = { { 0x12345100, 0x2000 } };
	struct vsc_gpa_range *r = vsc_gpa_test_range(test);

	/* 0x12345100 + 0x2000 ends in page 0x12347: three pages. */
	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, s, 1, r, VSC_GPA_TEST_PFNS), 3);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->byte_offset), 0x100);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->byte_count), 0x2000);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[0]), 0x12345);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[2]), 0x12347);
}

static void vsc_gpa_segments_joined(struct kunit *test)
{
	const struct vsc_gpa_test_seg s[] = {
		{ 0x10000800, 0x800 },	/* the tail of page 0x10000 */
		{ 0x20000000, 0x3000 },	/* three whole pages */
		{ 0x30000000, 0x10 },	/* the head of page 0x30000 */
	};
	struct vsc_gpa_range *r = vsc_gpa_test_range(test);

	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, s, 3, r, VSC_GPA_TEST_PFNS), 5);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->byte_offset), 0x800);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->byte_count), 0x3810);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[0]), 0x10000);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[1]), 0x20000);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[3]), 0x20002);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[4]), 0x30000);
}

static void vsc_gpa_holes_refused(struct kunit *test)
{
	const struct vsc_gpa_test_seg mid_start[] = {
		{ 0x10000000, 0x1000 }, { 0x20000010, 0x100 },
	};
	const struct vsc_gpa_test_seg mid_end[] = {
		{ 0x10000000, 0x800 }, { 0x20000000, 0x100 },
	};
	const struct vsc_gpa_test_seg empty[] = { { 0x10000000, 0 } };
	struct vsc_gpa_range *r = vsc_gpa_test_range(test);

	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, mid_start, 2, r, VSC_GPA_TEST_PFNS),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, mid_end, 2, r, VSC_GPA_TEST_PFNS),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, empty, 1, r, VSC_GPA_TEST_PFNS),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vsc_vmbus_sg_to_gpa(NULL, 0, r, VSC_GPA_TEST_PFNS), -EINVAL);
}

static void vsc_gpa_too_many(struct kunit *test)
{
	const struct vsc_gpa_test_seg s[] = { { 0x10000000, 0x4001 } };
	struct vsc_gpa_range *r = vsc_gpa_test_range(test);

	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, s, 1, r, 4), -E2BIG);
	KUNIT_EXPECT_EQ(test, vsc_gpa_test_run(test, s, 1, r, 5), 5);
}

static struct kunit_case vsc_gpa_cases[] = {
	KUNIT_CASE(vsc_gpa_one_segment),
	KUNIT_CASE(vsc_gpa_segments_joined),
	KUNIT_CASE(vsc_gpa_holes_refused),
	KUNIT_CASE(vsc_gpa_too_many),
	{}
};

static struct kunit_suite vsc_gpa_suite = {
	.name = "vsc_vmbus_gpa",
	.test_cases = vsc_gpa_cases,
};
kunit_test_suite(vsc_gpa_suite);

MODULE_DESCRIPTION("KUnit tests of vsc_vmbus's scatterlist to GPA range builder");
MODULE_LICENSE("GPL");
