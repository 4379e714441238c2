// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the shared ring code (drivers/vmbus/ring.c, ring_pkt.c)
 * built into the kernel: the same cases as the userspace unit tests that
 * depend on the kernel's barriers, byte order and allocator.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "vmbus/ring.h"

struct vsc_ring_test_ctx {
	struct vsc_ring_control *ctl;
	u8 *data;
	u32 size;
	struct vsc_ring w;
	struct vsc_ring r;
	unsigned int to_reader;
	unsigned int to_writer;
};

static void vsc_ring_test_sig_reader(struct vsc_ring *ring)
{
	struct vsc_ring_test_ctx *c = ring->priv;

	c->to_reader++;
}

static void vsc_ring_test_sig_writer(struct vsc_ring *ring)
{
	struct vsc_ring_test_ctx *c = ring->priv;

	c->to_writer++;
}

static struct vsc_ring_test_ctx *vsc_ring_test_setup(struct kunit *test,
						     u32 size, u32 features)
{
	struct vsc_ring_test_ctx *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	/* A power-of-two kmalloc is naturally aligned: a page here. */
	c->ctl = kunit_kzalloc(test, sizeof(*c->ctl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->ctl);
	c->data = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->data);
	c->size = size;
	vsc_ring_control_init(c->ctl, features);
	KUNIT_ASSERT_EQ(test, vsc_ring_init(&c->w, VSC_RING_WRITER, c->ctl,
					    c->data, size,
					    vsc_ring_test_sig_reader), 0);
	KUNIT_ASSERT_EQ(test, vsc_ring_init(&c->r, VSC_RING_READER, c->ctl,
					    c->data, size,
					    vsc_ring_test_sig_writer), 0);
	c->w.priv = c;
	c->r.priv = c;
	return c;
}

static int vsc_ring_test_send(struct vsc_ring_test_ctx *c, u32 len, u8 seed)
{
	u8 payload[512];

	if (len > sizeof(payload))
		return -EINVAL;
	memset(payload, seed, len);
	return vsc_ring_send(&c->w, VSC_PKT_DATA_INBAND, 0, seed, NULL, 0,
			     payload, len);
}

static void vsc_ring_test_recv(struct kunit *test, struct vsc_ring_test_ctx *c,
			       u32 len, u8 seed)
{
	struct vsc_ring_pkt pkt;
	u64 buf[80];
	u32 got = 0, i;

	KUNIT_ASSERT_EQ(test, vsc_ring_read(&c->r, buf, sizeof(buf), &got), 0);
	KUNIT_ASSERT_EQ(test, got, round_up(16 + len, 8));
	KUNIT_ASSERT_EQ(test, vsc_ring_pkt_parse(buf, got, VSC_RING_VIEW_GUEST,
						 &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.trans_id, (u64)seed);
	for (i = 0; i < len; i++)
		KUNIT_ASSERT_EQ(test, pkt.data[i], seed);
}

static void vsc_ring_test_layout(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 4096, 0);
	struct vsc_packet_desc *d = (void *)c->data;
	__le64 trailer;

	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 5, 9), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c->ctl->write_index), 32);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(d->offset8), 2);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(d->len8), 3);
	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 16, 10), 0);
	memcpy(&trailer, c->data + 64, sizeof(trailer));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(trailer), 32ULL << 32);
	c->r.flags = VSC_RING_F_STRICT;
	vsc_ring_test_recv(test, c, 5, 9);
	vsc_ring_test_recv(test, c, 16, 10);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c->ctl->read_index), 64 + 8);
}

static void vsc_ring_test_wrap(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 512, 0);
	u32 i;

	c->r.flags = VSC_RING_F_STRICT;
	for (i = 0; i < 1000; i++) {
		u32 len = (i * 37) % 300 + 1;

		KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, len, (u8)i), 0);
		vsc_ring_test_recv(test, c, len, (u8)i);
	}
	KUNIT_EXPECT_FALSE(test, vsc_ring_is_broken(&c->r));
}

static void vsc_ring_test_full(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 256, 0);
	int n = 0;

	KUNIT_EXPECT_EQ(test, vsc_ring_test_send(c, 225, 1), -EMSGSIZE);
	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 224, 1), 0);
	KUNIT_EXPECT_EQ(test, vsc_ring_test_send(c, 1, 2), -ENOSPC);
	vsc_ring_test_recv(test, c, 224, 1);
	while (!vsc_ring_test_send(c, 8, 3))
		n++;
	KUNIT_EXPECT_EQ(test, n, 7);
	KUNIT_EXPECT_EQ(test, c->w.stats.full, 2);
}

static void vsc_ring_test_signal_writer(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 4096, 0);

	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 8, 1), 0);
	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 8, 2), 0);
	KUNIT_EXPECT_EQ(test, c->to_reader, 1);
	vsc_ring_test_recv(test, c, 8, 1);
	vsc_ring_test_recv(test, c, 8, 2);
	KUNIT_EXPECT_EQ(test, vsc_ring_unmask_interrupts(&c->r), 0);
	vsc_ring_mask_interrupts(&c->r);
	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 8, 3), 0);
	KUNIT_EXPECT_EQ(test, c->to_reader, 1);
	KUNIT_EXPECT_EQ(test, vsc_ring_unmask_interrupts(&c->r), 32);
	vsc_ring_test_recv(test, c, 8, 3);
	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 8, 4), 0);
	KUNIT_EXPECT_EQ(test, c->to_reader, 2);
	KUNIT_EXPECT_EQ(test, c->to_writer, 0);
}

static void vsc_ring_test_pending_send(struct kunit *test)
{
	struct vsc_ring_test_ctx *c;
	u32 i, need = vsc_ring_pkt_space(16 + 200);

	c = vsc_ring_test_setup(test, 512, VSC_RING_FEAT_PENDING_SEND_SZ);
	for (i = 0; i < 15; i++)
		KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 8, i), 0);
	KUNIT_EXPECT_EQ(test, vsc_ring_test_send(c, 200, 99), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vsc_ring_set_pending_send(&c->w, need), 0);
	for (i = 0; i < 8; i++) {
		vsc_ring_test_recv(test, c, 8, i);
		KUNIT_EXPECT_EQ(test, c->to_writer, i >= 6 ? 1U : 0U);
	}
	KUNIT_EXPECT_EQ(test, vsc_ring_set_pending_send(&c->w, need), 1);
	vsc_ring_clear_pending_send(&c->w);
	KUNIT_EXPECT_EQ(test, vsc_ring_test_send(c, 200, 99), 0);
}

static void vsc_ring_test_hostile(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 4096, 0);
	struct vsc_packet_desc *d = (void *)c->data;
	u64 buf[16];
	u32 len;

	KUNIT_ASSERT_EQ(test, vsc_ring_test_send(c, 40, 1), 0);
	d->len8 = cpu_to_le16(0xffff);
	KUNIT_EXPECT_EQ(test, vsc_ring_read(&c->r, buf, sizeof(buf), &len),
			-EIO);
	KUNIT_EXPECT_TRUE(test, vsc_ring_is_broken(&c->r));
	KUNIT_EXPECT_NOT_NULL(test, c->r.reason);
	d->len8 = cpu_to_le16(7);
	KUNIT_EXPECT_EQ(test, vsc_ring_read(&c->r, buf, sizeof(buf), &len),
			-EIO);

	/* The writer end: a read index past what it wrote. */
	c->ctl->read_index = cpu_to_le32(128);
	KUNIT_EXPECT_EQ(test, vsc_ring_test_send(c, 8, 2), -EIO);
	KUNIT_EXPECT_TRUE(test, vsc_ring_is_broken(&c->w));
}

static void vsc_ring_test_hostile_index(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 4096, 0);

	c->ctl->write_index = cpu_to_le32(4100);
	KUNIT_EXPECT_EQ(test, vsc_ring_read_avail(&c->r), -EIO);
	KUNIT_EXPECT_EQ(test, vsc_ring_unmask_interrupts(&c->r), -EIO);
}

static void vsc_ring_test_gpa_direct(struct kunit *test)
{
	struct vsc_ring_test_ctx *c = vsc_ring_test_setup(test, 4096, 0);
	u64 hdr[5] = { 0 };
	struct vsc_gpa_direct_header *h = (void *)hdr;
	struct vsc_gpa_range *g = (void *)(h + 1);
	const struct vsc_gpa_range *r;
	struct vsc_ring_gpa_iter it;
	struct vsc_ring_pkt pkt;
	u64 buf[16];
	u32 len, npfn;

	h->range_count = cpu_to_le32(1);
	g->byte_offset = cpu_to_le32(16);
	g->byte_count = cpu_to_le32(4000);
	g->pfn[0] = cpu_to_le64(0x4242);
	KUNIT_ASSERT_EQ(test, vsc_ring_send(&c->w, VSC_PKT_DATA_GPA_DIRECT, 1,
					    5, hdr, sizeof(hdr), "cdb", 3), 0);
	KUNIT_ASSERT_EQ(test, vsc_ring_read(&c->r, buf, sizeof(buf), &len), 0);
	KUNIT_EXPECT_EQ(test, vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
						 &pkt), -EOPNOTSUPP);
	KUNIT_ASSERT_EQ(test, vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST,
						 &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.gpa.pages, 1);
	vsc_ring_gpa_iter_init(&it, &pkt);
	r = vsc_ring_gpa_next(&it, &npfn);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->pfn[0]), 0x4242);
	KUNIT_EXPECT_NULL(test, vsc_ring_gpa_next(&it, &npfn));
	/* One PFN cannot cover 4000 bytes from offset 200. */
	((struct vsc_gpa_range *)((u8 *)buf + 24))->byte_offset =
		cpu_to_le32(200);
	KUNIT_EXPECT_EQ(test, vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST,
						 &pkt), -EBADMSG);
}

static struct kunit_case vsc_ring_test_cases[] = {
	KUNIT_CASE(vsc_ring_test_layout),
	KUNIT_CASE(vsc_ring_test_wrap),
	KUNIT_CASE(vsc_ring_test_full),
	KUNIT_CASE(vsc_ring_test_signal_writer),
	KUNIT_CASE(vsc_ring_test_pending_send),
	KUNIT_CASE(vsc_ring_test_hostile),
	KUNIT_CASE(vsc_ring_test_hostile_index),
	KUNIT_CASE(vsc_ring_test_gpa_direct),
	{}
};

static struct kunit_suite vsc_ring_test_suite = {
	.name = "vsc_ring_buffer",
	.test_cases = vsc_ring_test_cases,
};

kunit_test_suite(vsc_ring_test_suite);

MODULE_DESCRIPTION("KUnit tests of the VSC suite's VMBus ring");
MODULE_LICENSE("GPL");
