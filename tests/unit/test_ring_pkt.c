// SPDX-License-Identifier: GPL-2.0
/*
 * Packet descriptors (drivers/vmbus/ring_pkt.c): building them, and parsing
 * in-band, completion, transfer-page and GPA-direct packets in the guest's
 * and the host's view, with malformed lengths, counts and ranges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "test_ring_fixture.h"

static u64 buf[512];		/* 8-byte aligned packet buffer */

static struct vsc_packet_desc *desc(void)
{
	return (struct vsc_packet_desc *)buf;
}

static void test_desc_fill(void **state)
{
	struct vsc_packet_desc *d = desc();

	(void)state;
	assert_int_equal(vsc_ring_desc_fill(d, VSC_PKT_DATA_INBAND, 1, 0x1234,
					    16, 5), 0);
	assert_int_equal(le16_to_cpu(d->type), 6);
	assert_int_equal(le16_to_cpu(d->offset8), 2);
	assert_int_equal(le16_to_cpu(d->len8), 3);
	assert_int_equal(le16_to_cpu(d->flags), 1);
	assert_int_equal(le64_to_cpu(d->trans_id), 0x1234);
	assert_int_equal(vsc_ring_desc_fill(d, 6, 0, 0, 8, 0), -EINVAL);
	assert_int_equal(vsc_ring_desc_fill(d, 6, 0, 0, 20, 0), -EINVAL);
	assert_int_equal(vsc_ring_desc_fill(d, 6, 0, 0, 16,
					    VSC_RING_MAX_PACKET - 15),
			 -EMSGSIZE);
	assert_int_equal(vsc_ring_desc_fill(d, 6, 0, 0, 16,
					    VSC_RING_MAX_PACKET - 16), 0);
	assert_int_equal(le16_to_cpu(d->len8), 0xffff);
}

static void test_inband_completion(void **state)
{
	struct vsc_ring_pkt pkt;

	(void)state;
	memset(buf, 0, sizeof(buf));
	vsc_ring_desc_fill(desc(), VSC_PKT_COMPLETION, 0, 42, 16, 11);
	assert_int_equal(vsc_ring_pkt_parse(buf, 32, VSC_RING_VIEW_GUEST, &pkt),
			 0);
	assert_int_equal(pkt.type, VSC_PKT_COMPLETION);
	assert_int_equal(pkt.trans_id, 42);
	assert_ptr_equal(pkt.data, (u8 *)buf + 16);
	assert_int_equal(pkt.data_len, 16);
	assert_int_equal(vsc_ring_pkt_parse(buf, 32, VSC_RING_VIEW_HOST, &pkt),
			 0);

	vsc_ring_desc_fill(desc(), VSC_PKT_DATA_INBAND, 0, 1, 16, 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, 16, VSC_RING_VIEW_HOST, &pkt),
			 0);
	assert_int_equal(pkt.data_len, 0);
}

static void test_bad_lengths(void **state)
{
	struct vsc_ring_pkt pkt;
	struct vsc_packet_desc *d = desc();

	(void)state;
	vsc_ring_desc_fill(d, VSC_PKT_DATA_INBAND, 0, 1, 16, 16);
	/* The buffer length must be the descriptor's. */
	assert_int_equal(vsc_ring_pkt_parse(buf, 24, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	assert_int_equal(vsc_ring_pkt_parse(buf, 33, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	assert_int_equal(vsc_ring_pkt_parse(buf, 8, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	d->offset8 = cpu_to_le16(5);
	assert_int_equal(vsc_ring_pkt_parse(buf, 32, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	d->offset8 = cpu_to_le16(1);
	assert_int_equal(vsc_ring_pkt_parse(buf, 32, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	d->offset8 = cpu_to_le16(4);
	assert_int_equal(vsc_ring_pkt_parse(buf, 32, VSC_RING_VIEW_HOST, &pkt),
			 0);
	assert_int_equal(pkt.data_len, 0);
}

static void test_types_by_view(void **state)
{
	struct vsc_ring_pkt pkt;
	u16 t;

	(void)state;
	for (t = 0; t < 20; t++) {
		int host, guest;

		memset(buf, 0, sizeof(buf));
		vsc_ring_desc_fill(desc(), t, 0, 1, 16, 48);
		host = vsc_ring_pkt_parse(buf, 64, VSC_RING_VIEW_HOST, &pkt);
		guest = vsc_ring_pkt_parse(buf, 64, VSC_RING_VIEW_GUEST, &pkt);
		if (t == VSC_PKT_DATA_INBAND || t == VSC_PKT_COMPLETION) {
			assert_int_equal(host, 0);
			assert_int_equal(guest, 0);
		} else if (t == VSC_PKT_DATA_XFER_PAGES) {
			assert_int_equal(host, -EOPNOTSUPP);
			/* offset8 2: no room for the xfer header. */
			assert_int_equal(guest, -EBADMSG);
		} else if (t == VSC_PKT_DATA_GPA_DIRECT) {
			assert_int_equal(host, -EBADMSG);
			assert_int_equal(guest, -EOPNOTSUPP);
		} else {
			assert_int_equal(host, -EOPNOTSUPP);
			assert_int_equal(guest, -EOPNOTSUPP);
		}
	}
}

/* A transfer-page packet with @n ranges and 8 bytes of payload. */
static u32 build_xfer(u32 n, u32 count_field)
{
	struct vsc_xfer_page_header *h = (void *)buf;
	u32 hdr = sizeof(*h) + n * sizeof(struct vsc_xfer_page_range), i;

	memset(buf, 0, sizeof(buf));
	vsc_ring_desc_fill(h, VSC_PKT_DATA_XFER_PAGES, 0, 7, hdr, 8);
	h->xfer_pageset_id = cpu_to_le16(0xcafe);
	h->sender_owns_set = 1;
	h->range_count = cpu_to_le32(count_field);
	for (i = 0; i < n; i++) {
		h->ranges[i].byte_count = cpu_to_le32(100 + i);
		h->ranges[i].byte_offset = cpu_to_le32(4096 * i);
	}
	return hdr + 8;
}

static void test_xfer_pages(void **state)
{
	struct vsc_ring_pkt pkt;
	u32 len;

	(void)state;
	len = build_xfer(3, 3);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
	assert_int_equal(pkt.xfer.pageset_id, 0xcafe);
	assert_int_equal(pkt.xfer.sender_owns, 1);
	assert_int_equal(pkt.xfer.count, 3);
	assert_int_equal(le32_to_cpu(pkt.xfer.ranges[2].byte_count), 102);
	assert_int_equal(pkt.data_len, 8);
	assert_true(vsc_ring_xfer_range_ok(&pkt.xfer.ranges[1], 4197));
	assert_false(vsc_ring_xfer_range_ok(&pkt.xfer.ranges[1], 4196));
	assert_false(vsc_ring_xfer_range_ok(&pkt.xfer.ranges[0], 99));

	len = build_xfer(3, 4);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), -EBADMSG);
	len = build_xfer(3, 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), -EBADMSG);
	len = build_xfer(3, 0xffffffff);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), -EBADMSG);
	/* Fewer ranges than the header has room for is fine. */
	len = build_xfer(3, 2);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
}

/*
 * A GPA-direct packet: ranges of (offset, count) pairs with their PFNs,
 * then 16 bytes of payload. Returns the packet length.
 */
static u32 build_gpa(const u32 *oc, u32 n, u32 count_field)
{
	struct vsc_gpa_direct_header *h = (void *)buf;
	u8 *p = (u8 *)buf + sizeof(*h);
	u32 i, j, hdr;

	memset(buf, 0, sizeof(buf));
	for (i = 0; i < n; i++) {
		struct vsc_gpa_range *r = (void *)p;
		u32 pfns = vsc_ring_gpa_pfns(oc[2 * i], oc[2 * i + 1]);

		r->byte_offset = cpu_to_le32(oc[2 * i]);
		r->byte_count = cpu_to_le32(oc[2 * i + 1]);
		for (j = 0; j < pfns; j++)
			r->pfn[j] = cpu_to_le64(0x1000 * (i + 1) + j);
		p += sizeof(*r) + pfns * 8;
	}
	hdr = p - (u8 *)buf;
	h->range_count = cpu_to_le32(count_field);
	vsc_ring_desc_fill(h, VSC_PKT_DATA_GPA_DIRECT,
			   VSC_PKT_FLAG_COMPLETION_REQUESTED, 3, hdr, 16);
	return hdr + 16;
}

static void test_gpa_direct(void **state)
{
	static const u32 two[] = { 100, 8192, 0, 4096 };
	struct vsc_ring_gpa_iter it;
	const struct vsc_gpa_range *r;
	struct vsc_ring_pkt pkt;
	u32 len, npfn;

	(void)state;
	len = build_gpa(two, 2, 2);
	assert_int_equal(len, 24 + 8 + 24 + 8 + 8 + 16);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 0);
	assert_int_equal(pkt.gpa.count, 2);
	assert_int_equal(pkt.gpa.pages, 4);
	assert_int_equal(pkt.data_len, 16);
	assert_int_equal(pkt.trans_id, 3);
	vsc_ring_gpa_iter_init(&it, &pkt);
	r = vsc_ring_gpa_next(&it, &npfn);
	assert_non_null(r);
	assert_int_equal(npfn, 3);
	assert_int_equal(le32_to_cpu(r->byte_offset), 100);
	assert_int_equal(le64_to_cpu(r->pfn[2]), 0x1002);
	r = vsc_ring_gpa_next(&it, &npfn);
	assert_non_null(r);
	assert_int_equal(npfn, 1);
	assert_int_equal(le64_to_cpu(r->pfn[0]), 0x2000);
	assert_null(vsc_ring_gpa_next(&it, &npfn));

	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), -EOPNOTSUPP);
	vsc_ring_gpa_iter_init(&it, &pkt);
	assert_null(vsc_ring_gpa_next(&it, &npfn));

	/* More ranges claimed than present; none. */
	len = build_gpa(two, 2, 3);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	len = build_gpa(two, 2, 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
}

static void test_gpa_bad_ranges(void **state)
{
	static const u32 off_big[] = { 4096, 10 };
	static const u32 zero[] = { 0, 0 };
	static const u32 one[] = { 0, 4096 };
	struct vsc_gpa_direct_header *h = (void *)buf;
	struct vsc_gpa_range *r = (void *)(h + 1);
	struct vsc_ring_pkt pkt;
	u32 len;

	(void)state;
	len = build_gpa(off_big, 1, 1);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	len = build_gpa(zero, 1, 1);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	/* A byte count whose PFNs run past offset8. */
	len = build_gpa(one, 1, 1);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 0);
	r->byte_count = cpu_to_le32(4097);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	r->byte_count = cpu_to_le32(0xffffffff);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
	/* offset8 inside the GPA header. */
	len = build_gpa(one, 1, 1);
	h->d.offset8 = cpu_to_le16(2);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST, &pkt),
			 -EBADMSG);
}

/* Through a real ring: a GPA-direct packet built by vsc_ring_send(). */
static void test_send_gpa_through_ring(void **state)
{
	struct ring_fixture f;
	u64 hdr[6];		/* header, one range, two PFNs */
	struct vsc_gpa_direct_header *h = (void *)hdr;
	struct vsc_gpa_range *r = (void *)(h + 1);
	u64 out[64];
	struct vsc_ring_pkt pkt;
	u32 len;

	(void)state;
	assert_int_equal(ring_fixture_init(&f, 256, 0), 0);
	memset(hdr, 0, sizeof(hdr));
	h->range_count = cpu_to_le32(1);
	r->byte_offset = cpu_to_le32(512);
	r->byte_count = cpu_to_le32(4096);
	r->pfn[0] = cpu_to_le64(77);
	r->pfn[1] = cpu_to_le64(78);
	assert_int_equal(vsc_ring_send(&f.w, VSC_PKT_DATA_GPA_DIRECT, 0, 5,
				       hdr, sizeof(hdr), "scsi-cdb", 8), 0);
	assert_int_equal(vsc_ring_read(&f.r, out, sizeof(out), &len), 0);
	assert_int_equal(vsc_ring_pkt_parse(out, len, VSC_RING_VIEW_HOST, &pkt),
			 0);
	assert_int_equal(pkt.gpa.pages, 2);
	assert_memory_equal(pkt.data, "scsi-cdb", 8);
	assert_int_equal(vsc_ring_send(&f.w, VSC_PKT_DATA_GPA_DIRECT, 0, 5,
				       hdr, sizeof(hdr) - 4, "x", 1),
			 -EINVAL);
	ring_fixture_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desc_fill),
		cmocka_unit_test(test_inband_completion),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_types_by_view),
		cmocka_unit_test(test_xfer_pages),
		cmocka_unit_test(test_gpa_direct),
		cmocka_unit_test(test_gpa_bad_ranges),
		cmocka_unit_test(test_send_gpa_through_ring),
	};

	return cmocka_run_group_tests_name("ring_pkt", tests, NULL, NULL);
}
