/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the ring fuzzers: an input cursor, a ring whose data area is
 * allocated at its exact size (so ASan sees any byte outside it), and the
 * invariants every target checks.
 */
#ifndef _VSC_FUZZ_COMMON_H
#define _VSC_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus/ring.h"

#define fuzz_check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	return fuzz_u8(in) | (uint16_t)fuzz_u8(in) << 8;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	return fuzz_u16(in) | (uint32_t)fuzz_u16(in) << 16;
}

/* Data area sizes: small ones wrap often, 4096 is a real ring's. */
static inline uint32_t fuzz_ring_size(uint8_t sel)
{
	return sel < 200 ? 64 + 8 * (uint32_t)sel : 4096;
}

/* Everything a parser found is read into this, so nothing is optimised out. */
static u8 fuzz_sink;

/* Checks what any parse of a packet may return, and reads what it found. */
static inline void fuzz_parse(const void *buf, u32 len, enum vsc_ring_view view)
{
	struct vsc_ring_pkt pkt;
	struct vsc_ring_gpa_iter it;
	const struct vsc_gpa_range *r;
	u8 sink = 0;
	u32 i, npfn, pages = 0, n = 0;
	int ret;

	ret = vsc_ring_pkt_parse(buf, len, view, &pkt);
	fuzz_check(ret == 0 || ret == -EBADMSG || ret == -EOPNOTSUPP);
	if (ret)
		return;
	fuzz_check(pkt.data >= (const u8 *)buf);
	fuzz_check(pkt.data + pkt.data_len == (const u8 *)buf + len);
	for (i = 0; i < pkt.data_len; i++)
		sink ^= pkt.data[i];
	if (pkt.type == VSC_PKT_DATA_XFER_PAGES) {
		fuzz_check(view == VSC_RING_VIEW_GUEST);
		for (i = 0; i < pkt.xfer.count; i++)
			sink ^= (u8)vsc_ring_xfer_range_ok(&pkt.xfer.ranges[i],
							   65536);
	}
	if (pkt.type == VSC_PKT_DATA_GPA_DIRECT) {
		fuzz_check(view == VSC_RING_VIEW_HOST);
		vsc_ring_gpa_iter_init(&it, &pkt);
		while ((r = vsc_ring_gpa_next(&it, &npfn))) {
			fuzz_check(npfn >= 1);
			fuzz_check(le32_to_cpu(r->byte_offset) < 4096);
			for (i = 0; i < npfn; i++)
				sink ^= (u8)le64_to_cpu(r->pfn[i]);
			pages += npfn;
			n++;
		}
		fuzz_check(n == pkt.gpa.count && pages == pkt.gpa.pages);
	}
	fuzz_sink ^= sink;
}

#endif /* _VSC_FUZZ_COMMON_H */
