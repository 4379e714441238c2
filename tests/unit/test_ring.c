// SPDX-License-Identifier: GPL-2.0
/*
 * The ring (drivers/vmbus/ring.c) in plain memory: layout, wrap-around,
 * batching, the signalling rules, and a hostile peer on either end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "test_ring_fixture.h"

static unsigned int signals_to_reader, signals_to_writer;

static void sig_reader(struct vsc_ring *ring)
{
	(void)ring;
	signals_to_reader++;
}

static void sig_writer(struct vsc_ring *ring)
{
	(void)ring;
	signals_to_writer++;
}

static struct ring_fixture *setup_ring(u32 size, u32 features)
{
	struct ring_fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(ring_fixture_init(f, size, features), 0);
	f->w.signal = sig_reader;
	f->r.signal = sig_writer;
	signals_to_reader = 0;
	signals_to_writer = 0;
	return f;
}

static void teardown_ring(struct ring_fixture *f)
{
	ring_fixture_fini(f);
	free(f);
}

static u32 widx(struct ring_fixture *f)
{
	return le32_to_cpu(f->ctl->write_index);
}

static u32 ridx(struct ring_fixture *f)
{
	return le32_to_cpu(f->ctl->read_index);
}

static void fill(u8 *p, u32 len, u32 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed * 31 + i * 7);
}

/* Sends an in-band packet of @len payload bytes with a pattern. */
static int send_pattern(struct ring_fixture *f, u32 len, u32 seed)
{
	u8 payload[4096];

	assert_true(len <= sizeof(payload));
	fill(payload, len, seed);
	return vsc_ring_send(&f->w, VSC_PKT_DATA_INBAND,
			     VSC_PKT_FLAG_COMPLETION_REQUESTED, seed,
			     NULL, 0, payload, len);
}

/* Reads one packet and checks it is what send_pattern(@len, @seed) sent. */
static void recv_pattern(struct ring_fixture *f, u32 len, u32 seed)
{
	u64 buf[600];
	u8 want[4096];
	struct vsc_ring_pkt pkt;
	u32 got = 0;

	assert_int_equal(vsc_ring_read(&f->r, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, (16 + len + 7) & ~7U);
	assert_int_equal(vsc_ring_pkt_parse(buf, got, VSC_RING_VIEW_HOST, &pkt),
			 0);
	assert_int_equal(pkt.type, VSC_PKT_DATA_INBAND);
	assert_int_equal(pkt.flags, VSC_PKT_FLAG_COMPLETION_REQUESTED);
	assert_int_equal(pkt.trans_id, seed);
	assert_true(pkt.data_len >= len && pkt.data_len - len < 8);
	fill(want, len, seed);
	assert_memory_equal(pkt.data, want, len);
}

static void test_init_args(void **state)
{
	struct vsc_ring_control *ctl = aligned_alloc(4096, sizeof(*ctl));
	static u8 data[4096];
	struct vsc_ring ring;

	(void)state;
	vsc_ring_control_init(ctl, VSC_RING_FEAT_PENDING_SEND_SZ);
	assert_int_equal(le32_to_cpu(ctl->feature_bits), 1);
	assert_int_equal(vsc_ring_init(&ring, VSC_RING_WRITER, ctl, data, 32,
				       NULL), -EINVAL);
	assert_int_equal(vsc_ring_init(&ring, VSC_RING_WRITER, ctl, data, 100,
				       NULL), -EINVAL);
	assert_int_equal(vsc_ring_init(&ring, 7, ctl, data, 4096, NULL),
			 -EINVAL);
	assert_true(vsc_ring_is_broken(&ring));
	assert_int_equal(vsc_ring_init(&ring, VSC_RING_READER, ctl, data, 4096,
				       NULL), 0);
	assert_false(vsc_ring_is_broken(&ring));

	/* Indices the other side left invalid. */
	ctl->write_index = cpu_to_le32(4096);
	assert_int_equal(vsc_ring_init(&ring, VSC_RING_READER, ctl, data, 4096,
				       NULL), -EIO);
	assert_true(vsc_ring_is_broken(&ring));
	ctl->write_index = cpu_to_le32(12);
	assert_int_equal(vsc_ring_init(&ring, VSC_RING_WRITER, ctl, data, 4096,
				       NULL), -EIO);
	free(ctl);
}

static void test_roundtrip_layout(void **state)
{
	struct ring_fixture *f = setup_ring(4096, 0);
	struct vsc_packet_desc *d = (void *)f->data;
	u64 trailer;
	u64 buf[8];
	u32 len;

	(void)state;
	assert_int_equal(send_pattern(f, 5, 9), 0);
	/* Descriptor, 5 bytes padded to 8 with zeroes, trailer. */
	assert_int_equal(widx(f), 16 + 8 + 8);
	assert_int_equal(le16_to_cpu(d->type), VSC_PKT_DATA_INBAND);
	assert_int_equal(le16_to_cpu(d->offset8), 2);
	assert_int_equal(le16_to_cpu(d->len8), 3);
	assert_int_equal(le64_to_cpu(d->trans_id), 9);
	assert_memory_equal(f->data + 21, "\0\0\0", 3);
	memcpy(&trailer, f->data + 24, 8);
	assert_int_equal(le64_to_cpu(trailer), 0);

	assert_int_equal(send_pattern(f, 16, 10), 0);
	memcpy(&trailer, f->data + 32 + 32, 8);
	assert_int_equal(le64_to_cpu(trailer), 32ULL << 32);

	f->r.flags |= VSC_RING_F_STRICT;
	recv_pattern(f, 5, 9);
	assert_int_equal(ridx(f), 32);
	recv_pattern(f, 16, 10);
	assert_int_equal(ridx(f), widx(f));
	assert_int_equal(vsc_ring_read(&f->r, buf, sizeof(buf), &len),
			 -EAGAIN);
	assert_false(vsc_ring_is_broken(&f->r));
	assert_int_equal(f->w.stats.packets, 2);
	assert_int_equal(f->r.stats.packets, 2);
	assert_int_equal(f->w.stats.bytes, f->r.stats.bytes);
	teardown_ring(f);
}

static void test_wrong_end(void **state)
{
	struct ring_fixture *f = setup_ring(4096, 0);
	u64 buf[8];
	u32 len;

	(void)state;
	assert_int_equal(vsc_ring_read(&f->w, buf, sizeof(buf), &len),
			 -EINVAL);
	assert_int_equal(vsc_ring_send(&f->r, VSC_PKT_DATA_INBAND, 0, 0,
				       NULL, 0, buf, 8), -EINVAL);
	assert_int_equal(vsc_ring_read_next(&f->r, buf, sizeof(buf), &len),
			 -EINVAL);
	assert_int_equal(vsc_ring_write_end(&f->w), -EINVAL);
	assert_false(vsc_ring_is_broken(&f->w));
	assert_false(vsc_ring_is_broken(&f->r));
	teardown_ring(f);
}

static void test_full_and_too_big(void **state)
{
	struct ring_fixture *f = setup_ring(256, 0);
	u8 big[256] = { 0 };
	int n = 0, ret;

	(void)state;
	/* The largest packet fills the ring but for 8 bytes. */
	assert_int_equal(vsc_ring_pkt_space(16 + 224), 248);
	assert_int_equal(vsc_ring_send(&f->w, VSC_PKT_DATA_INBAND, 0, 1, NULL,
				       0, big, 225), -EMSGSIZE);
	assert_int_equal(vsc_ring_write_avail(&f->w), 248);
	assert_int_equal(send_pattern(f, 224, 1), 0);
	assert_int_equal(vsc_ring_write_avail(&f->w), 0);
	assert_int_equal(send_pattern(f, 1, 2), -ENOSPC);
	assert_int_equal(f->w.stats.full, 1);
	recv_pattern(f, 224, 1);

	while ((ret = send_pattern(f, 8, n)) == 0)
		n++;
	assert_int_equal(ret, -ENOSPC);
	/* 32 bytes a packet, 8 kept free: 7 packets. */
	assert_int_equal(n, 7);
	assert_int_equal(vsc_ring_read_avail(&f->r), 7 * 32);
	for (ret = 0; ret < n; ret++)
		recv_pattern(f, 8, ret);
	assert_false(vsc_ring_is_broken(&f->w));
	teardown_ring(f);
}

/* Odd sizes walk every alignment of descriptor and payload over the end. */
static void test_wrap_around(void **state)
{
	struct ring_fixture *f = setup_ring(512, 0);
	u32 i, wraps = 0, last = 0;

	(void)state;
	f->r.flags |= VSC_RING_F_STRICT;
	for (i = 0; i < 2000; i++) {
		u32 len = (i * 37) % 300 + 1;

		assert_int_equal(send_pattern(f, len, i), 0);
		if (widx(f) < last)
			wraps++;
		last = widx(f);
		recv_pattern(f, len, i);
	}
	assert_true(wraps > 100);
	assert_false(vsc_ring_is_broken(&f->r));
	teardown_ring(f);
}

/* Packets larger than half the ring, several in flight with small ones. */
static void test_large_packets(void **state)
{
	struct ring_fixture *f = setup_ring(1024, 0);
	u32 i;

	(void)state;
	for (i = 0; i < 300; i++) {
		assert_int_equal(send_pattern(f, 700 + i % 250, i), 0);
		assert_int_equal(send_pattern(f, 400, i + 1000), -ENOSPC);
		recv_pattern(f, 700 + i % 250, i);
		assert_int_equal(send_pattern(f, i % 64, i + 2000), 0);
		recv_pattern(f, i % 64, i + 2000);
	}
	teardown_ring(f);
}

static void test_multi_buf_padding(void **state)
{
	struct ring_fixture *f = setup_ring(128, 0);
	struct vsc_packet_desc d;
	struct vsc_ring_buf bufs[3];
	u8 a[3] = { 1, 2, 3 }, b[6] = { 4, 5, 6, 7, 8, 9 };
	u64 out[16];
	u8 *o = (u8 *)out;
	u32 len, i;

	(void)state;
	/* Start close to the end so the packet wraps. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_pattern(f, 8, i), 0);
		recv_pattern(f, 8, i);
	}
	assert_int_equal(vsc_ring_desc_fill(&d, VSC_PKT_COMPLETION, 0, 77,
					    16, 9), 0);
	bufs[0] = (struct vsc_ring_buf){ &d, 16 };
	bufs[1] = (struct vsc_ring_buf){ a, 3 };
	bufs[2] = (struct vsc_ring_buf){ b, 6 };
	assert_int_equal(vsc_ring_write(&f->w, bufs, 3), 0);
	assert_int_equal(vsc_ring_read(&f->r, out, sizeof(out), &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(o + 16, a, 3);
	assert_memory_equal(o + 19, b, 6);
	for (i = 25; i < 32; i++)
		assert_int_equal(o[i], 0);
	teardown_ring(f);
}

/* A packet that is only a descriptor: no payload pointer at all. */
static void test_descriptor_only(void **state)
{
	struct ring_fixture *f = setup_ring(256, 0);
	struct vsc_ring_pkt pkt;
	u64 buf[4];
	u32 len;

	(void)state;
	assert_int_equal(vsc_ring_send(&f->w, VSC_PKT_COMPLETION, 0, 3, NULL,
				       0, NULL, 0), 0);
	assert_int_equal(widx(f), 24);
	assert_int_equal(vsc_ring_read(&f->r, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 16);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
	assert_int_equal(pkt.trans_id, 3);
	assert_int_equal(pkt.data_len, 0);
	teardown_ring(f);
}

static void test_enobufs(void **state)
{
	struct ring_fixture *f = setup_ring(4096, 0);
	u64 small[4];
	u32 len = 0;

	(void)state;
	assert_int_equal(send_pattern(f, 100, 5), 0);
	assert_int_equal(vsc_ring_read(&f->r, small, sizeof(small), &len),
			 -ENOBUFS);
	assert_int_equal(len, 120);
	assert_int_equal(ridx(f), 0);
	assert_false(vsc_ring_is_broken(&f->r));
	recv_pattern(f, 100, 5);
	teardown_ring(f);
}

static void test_batches(void **state)
{
	struct ring_fixture *f = setup_ring(4096, 0);
	struct vsc_packet_desc *d;
	u64 buf[64];
	u32 len, i;

	(void)state;
	assert_int_equal(vsc_ring_write_begin(&f->w), 0);
	assert_int_equal(vsc_ring_write_begin(&f->w), -EINVAL);
	for (i = 0; i < 5; i++) {
		struct vsc_packet_desc d;
		struct vsc_ring_buf b = { &d, sizeof(d) };

		vsc_ring_desc_fill(&d, VSC_PKT_DATA_INBAND, 0, i, 16, 0);
		assert_int_equal(vsc_ring_write_next(&f->w, &b, 1), 0);
		/* Nothing is visible before the batch ends. */
		assert_int_equal(widx(f), 0);
	}
	assert_int_equal(vsc_ring_write_end(&f->w), 0);
	assert_int_equal(widx(f), 5 * 24);
	assert_int_equal(f->w.stats.batches, 1);
	assert_int_equal(signals_to_reader, 1);

	assert_int_equal(vsc_ring_read_begin(&f->r), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(vsc_ring_read_next(&f->r, buf, sizeof(buf),
						    &len), 0);
		d = (struct vsc_packet_desc *)buf;
		assert_int_equal(le64_to_cpu(d->trans_id), i);
		assert_int_equal(ridx(f), 0);
	}
	assert_int_equal(vsc_ring_read_next(&f->r, buf, sizeof(buf), &len),
			 -EAGAIN);
	assert_int_equal(vsc_ring_read_end(&f->r), 0);
	assert_int_equal(ridx(f), 5 * 24);
	assert_int_equal(f->r.stats.batches, 1);
	/* An empty batch publishes nothing. */
	assert_int_equal(vsc_ring_read_begin(&f->r), 0);
	assert_int_equal(vsc_ring_read_end(&f->r), 0);
	assert_int_equal(f->r.stats.batches, 1);
	teardown_ring(f);
}

/*
 * In-place reads: the body is in the ring unless the packet wraps, then in
 * the bounce buffer (-ENOBUFS without one); the room is freed only by
 * read_end, once for the burst.
 */
static void test_read_inplace(void **state)
{
	struct ring_fixture *f = setup_ring(256, VSC_RING_FEAT_PENDING_SEND_SZ);
	struct vsc_packet_desc d;
	const u8 *body;
	u64 bounce[16];
	u8 want[64];
	u32 len, i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(send_pattern(f, 40, i), 0);
	for (i = 0; i < 3; i++)
		recv_pattern(f, 40, i);
	assert_int_equal(ridx(f), 192);
	/* At 192: fits before the end; at 224: wraps; then at 48. */
	assert_int_equal(send_pattern(f, 8, 10), 0);
	assert_int_equal(send_pattern(f, 56, 11), 0);
	assert_int_equal(send_pattern(f, 16, 12), 0);

	assert_int_equal(vsc_ring_read_begin(&f->r), 0);
	assert_int_equal(vsc_ring_read_next_inplace(&f->r, &d, &body, NULL, 0,
						    &len), 0);
	assert_int_equal(len, 24);
	assert_int_equal(le64_to_cpu(d.trans_id), 10);
	assert_ptr_equal(body, f->data + 208);
	fill(want, 8, 10);
	assert_memory_equal(body, want, 8);

	assert_int_equal(vsc_ring_read_next_inplace(&f->r, &d, &body, NULL, 0,
						    &len), -ENOBUFS);
	assert_int_equal(vsc_ring_read_next_inplace(&f->r, &d, &body, bounce,
						    sizeof(bounce), &len), 0);
	assert_int_equal(len, 72);
	assert_int_equal(le64_to_cpu(d.trans_id), 11);
	assert_ptr_equal(body, (u8 *)bounce);
	fill(want, 56, 11);
	assert_memory_equal(body, want, 56);

	assert_int_equal(vsc_ring_read_next_inplace(&f->r, &d, &body, bounce,
						    sizeof(bounce), &len), 0);
	assert_int_equal(le64_to_cpu(d.trans_id), 12);
	assert_ptr_equal(body, f->data + 64);
	fill(want, 16, 12);
	assert_memory_equal(body, want, 16);
	assert_int_equal(vsc_ring_read_next_inplace(&f->r, &d, &body, bounce,
						    sizeof(bounce), &len),
			 -EAGAIN);
	/* Nothing freed before the burst ends; then once. */
	assert_int_equal(ridx(f), 192);
	assert_int_equal(vsc_ring_read_end(&f->r), 0);
	assert_int_equal(ridx(f), widx(f));
	assert_int_equal(ridx(f), 88);
	assert_int_equal(f->r.stats.packets, 6);
	teardown_ring(f);
}

/* Writer: signal on empty to non-empty only, and never when masked. */
static void test_signal_writer_rules(void **state)
{
	struct ring_fixture *f = setup_ring(4096, 0);

	(void)state;
	assert_int_equal(send_pattern(f, 8, 1), 0);
	assert_int_equal(signals_to_reader, 1);
	assert_int_equal(send_pattern(f, 8, 2), 0);
	assert_int_equal(signals_to_reader, 1);

	/* The reader drains only part: still not empty, no signal. */
	recv_pattern(f, 8, 1);
	assert_int_equal(send_pattern(f, 8, 3), 0);
	assert_int_equal(signals_to_reader, 1);
	recv_pattern(f, 8, 2);
	recv_pattern(f, 8, 3);
	assert_int_equal(vsc_ring_unmask_interrupts(&f->r), 0);

	/* Empty again: the next packet signals... */
	assert_int_equal(send_pattern(f, 8, 4), 0);
	assert_int_equal(signals_to_reader, 2);
	recv_pattern(f, 8, 4);

	/* ...unless the reader masked interrupts. */
	vsc_ring_mask_interrupts(&f->r);
	assert_int_equal(send_pattern(f, 8, 5), 0);
	assert_int_equal(signals_to_reader, 2);
	/* Unmasking finds the packet that did not signal. */
	assert_int_equal(vsc_ring_unmask_interrupts(&f->r), 32);
	recv_pattern(f, 8, 5);
	assert_int_equal(vsc_ring_unmask_interrupts(&f->r), 0);
	assert_int_equal(f->w.stats.signals, 2);
	/* The reader never signals without pending_send_sz. */
	assert_int_equal(signals_to_writer, 0);
	teardown_ring(f);
}

/* Reader: signal only when the free space crosses pending_send_sz. */
static void test_signal_pending_send(void **state)
{
	struct ring_fixture *f = setup_ring(512, VSC_RING_FEAT_PENDING_SEND_SZ);
	u32 i, need = vsc_ring_pkt_space(16 + 200);

	(void)state;
	/* 15 packets of 32 bytes: 480 used, 32 free. */
	for (i = 0; i < 15; i++)
		assert_int_equal(send_pattern(f, 8, i), 0);
	assert_int_equal(send_pattern(f, 200, 99), -ENOSPC);
	assert_int_equal(vsc_ring_set_pending_send(&f->w, need), 0);
	assert_int_equal(le32_to_cpu(f->ctl->pending_send_sz), need);

	/* Free space after k reads: 32 + 32 * k; above 224 from k = 7. */
	for (i = 0; i < 7; i++) {
		recv_pattern(f, 8, i);
		assert_int_equal(signals_to_writer, i == 6 ? 1 : 0);
	}
	recv_pattern(f, 8, 7);
	assert_int_equal(signals_to_writer, 1);
	assert_int_equal(vsc_ring_set_pending_send(&f->w, need), 1);
	vsc_ring_clear_pending_send(&f->w);
	assert_int_equal(send_pattern(f, 200, 99), 0);
	for (i = 8; i < 15; i++)
		recv_pattern(f, 8, i);
	recv_pattern(f, 200, 99);
	assert_int_equal(signals_to_writer, 1);
	assert_int_equal(f->r.stats.signals, 1);

	/* A batch that crosses the threshold signals once, at its end. */
	for (i = 0; i < 15; i++)
		assert_int_equal(send_pattern(f, 8, i), 0);
	assert_int_equal(vsc_ring_set_pending_send(&f->w, 100), 0);
	assert_int_equal(vsc_ring_read_begin(&f->r), 0);
	for (i = 0; i < 15; i++) {
		u64 buf[8];
		u32 len;

		assert_int_equal(vsc_ring_read_next(&f->r, buf, sizeof(buf),
						    &len), 0);
	}
	assert_int_equal(vsc_ring_read_end(&f->r), 0);
	assert_int_equal(signals_to_writer, 2);
	teardown_ring(f);
}

static void test_pending_send_without_feature(void **state)
{
	struct ring_fixture *f = setup_ring(512, 0);
	u32 i;

	(void)state;
	for (i = 0; i < 15; i++)
		assert_int_equal(send_pattern(f, 8, i), 0);
	assert_int_equal(vsc_ring_set_pending_send(&f->w, 100), -EOPNOTSUPP);
	/* Even if the writer sets it by hand, the reader does not signal. */
	f->ctl->pending_send_sz = cpu_to_le32(100);
	for (i = 0; i < 15; i++)
		recv_pattern(f, 8, i);
	assert_int_equal(signals_to_writer, 0);
	teardown_ring(f);
}

/* A ring with a packet whose descriptor the test rewrites. */
static struct ring_fixture *one_packet(void)
{
	struct ring_fixture *f = setup_ring(4096, 0);

	assert_int_equal(send_pattern(f, 40, 1), 0);
	return f;
}

static void expect_corrupt(struct ring_fixture *f)
{
	u64 buf[600];
	u32 len;

	assert_int_equal(vsc_ring_read(&f->r, buf, sizeof(buf), &len), -EIO);
	assert_true(vsc_ring_is_broken(&f->r));
	assert_non_null(f->r.reason);
	/* Broken for good: even a repaired ring fails fast. */
	assert_int_equal(vsc_ring_read(&f->r, buf, sizeof(buf), &len), -EIO);
	assert_int_equal(vsc_ring_read_avail(&f->r), -EIO);
	assert_int_equal(vsc_ring_unmask_interrupts(&f->r), -EIO);
}

static void test_hostile_descriptor(void **state)
{
	struct ring_fixture *f;
	struct vsc_packet_desc *d;

	(void)state;
	/* len8 beyond the write index. */
	f = one_packet();
	d = (void *)f->data;
	d->len8 = cpu_to_le16(le16_to_cpu(d->len8) + 1);
	expect_corrupt(f);
	teardown_ring(f);

	/* len8 huge. */
	f = one_packet();
	d = (void *)f->data;
	d->len8 = cpu_to_le16(0xffff);
	expect_corrupt(f);
	teardown_ring(f);

	/* len8 shorter than a descriptor. */
	f = one_packet();
	d = (void *)f->data;
	d->len8 = cpu_to_le16(1);
	expect_corrupt(f);
	teardown_ring(f);

	/* offset8 past the packet, and inside the descriptor. */
	f = one_packet();
	d = (void *)f->data;
	d->offset8 = cpu_to_le16(le16_to_cpu(d->len8) + 1);
	expect_corrupt(f);
	teardown_ring(f);
	f = one_packet();
	d = (void *)f->data;
	d->offset8 = cpu_to_le16(1);
	expect_corrupt(f);
	teardown_ring(f);

	/* Strict readers check the trailer. */
	f = one_packet();
	f->r.flags |= VSC_RING_F_STRICT;
	f->data[56 + 4] ^= 1;
	expect_corrupt(f);
	teardown_ring(f);
}

static void test_hostile_write_index(void **state)
{
	struct ring_fixture *f;

	(void)state;
	/* Out of the data area. */
	f = one_packet();
	ring_fixture_poke(f->ctl->write_index, 4096);
	expect_corrupt(f);
	teardown_ring(f);

	/* Not aligned. */
	f = one_packet();
	ring_fixture_poke(f->ctl->write_index, 60);
	expect_corrupt(f);
	teardown_ring(f);

	/* Less than a descriptor and a trailer. */
	f = setup_ring(4096, 0);
	ring_fixture_poke(f->ctl->write_index, 16);
	expect_corrupt(f);
	teardown_ring(f);

	/* Moved back behind data the reader has seen. */
	f = one_packet();
	assert_int_equal(send_pattern(f, 40, 2), 0);
	assert_int_equal(vsc_ring_read_avail(&f->r), 128);
	ring_fixture_poke(f->ctl->write_index, 64);
	expect_corrupt(f);
	teardown_ring(f);

	/* The writer rewrote the reader's own index. */
	f = one_packet();
	ring_fixture_poke(f->ctl->read_index, 64);
	expect_corrupt(f);
	teardown_ring(f);
}

static void test_hostile_read_index(void **state)
{
	struct ring_fixture *f;

	(void)state;
	/* Out of range. */
	f = one_packet();
	ring_fixture_poke(f->ctl->read_index, 8192);
	assert_int_equal(send_pattern(f, 8, 2), -EIO);
	assert_true(vsc_ring_is_broken(&f->w));
	assert_int_equal(send_pattern(f, 8, 2), -EIO);
	assert_int_equal(vsc_ring_write_avail(&f->w), -EIO);
	teardown_ring(f);

	/* Past what was written: the reader cannot have read it. */
	f = one_packet();
	ring_fixture_poke(f->ctl->read_index, 128);
	assert_int_equal(send_pattern(f, 8, 2), -EIO);
	teardown_ring(f);

	/* Moved back. */
	f = one_packet();
	recv_pattern(f, 40, 1);
	assert_int_equal(send_pattern(f, 8, 2), 0);
	ring_fixture_poke(f->ctl->read_index, 0);
	assert_int_equal(send_pattern(f, 8, 3), -EIO);
	teardown_ring(f);

	/* The reader rewrote the writer's own index. */
	f = one_packet();
	ring_fixture_poke(f->ctl->write_index, 8);
	assert_int_equal(send_pattern(f, 8, 2), -EIO);
	assert_non_null(f->w.reason);
	teardown_ring(f);
}

/* A ring in use can be attached to again, as after a vsp-sim re-exec. */
static void test_reattach(void **state)
{
	struct ring_fixture *f = setup_ring(256, 0);
	u32 i;

	(void)state;
	for (i = 0; i < 5; i++) {
		assert_int_equal(send_pattern(f, 24, i), 0);
		recv_pattern(f, 24, i);
	}
	assert_int_equal(send_pattern(f, 24, 5), 0);
	assert_int_equal(vsc_ring_init(&f->w, VSC_RING_WRITER, f->ctl, f->data,
				       f->size, sig_reader), 0);
	assert_int_equal(vsc_ring_init(&f->r, VSC_RING_READER, f->ctl, f->data,
				       f->size, sig_writer), 0);
	assert_int_equal(send_pattern(f, 24, 6), 0);
	recv_pattern(f, 24, 5);
	recv_pattern(f, 24, 6);
	teardown_ring(f);
}

static void test_set_broken(void **state)
{
	struct ring_fixture *f = setup_ring(256, 0);

	(void)state;
	vsc_ring_set_broken(&f->w, "first");
	vsc_ring_set_broken(&f->w, "second");
	assert_string_equal(f->w.reason, "first");
	assert_int_equal(send_pattern(f, 8, 1), -EIO);
	assert_int_equal(vsc_ring_write_begin(&f->w), -EIO);
	teardown_ring(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_args),
		cmocka_unit_test(test_roundtrip_layout),
		cmocka_unit_test(test_wrong_end),
		cmocka_unit_test(test_full_and_too_big),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_large_packets),
		cmocka_unit_test(test_multi_buf_padding),
		cmocka_unit_test(test_descriptor_only),
		cmocka_unit_test(test_enobufs),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_read_inplace),
		cmocka_unit_test(test_signal_writer_rules),
		cmocka_unit_test(test_signal_pending_send),
		cmocka_unit_test(test_pending_send_without_feature),
		cmocka_unit_test(test_hostile_descriptor),
		cmocka_unit_test(test_hostile_write_index),
		cmocka_unit_test(test_hostile_read_index),
		cmocka_unit_test(test_reattach),
		cmocka_unit_test(test_set_broken),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
