/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus packets: building descriptors, and parsing a packet that
 * vsc_ring_read_next() copied into a private buffer. Included by ring.h.
 */
#ifndef _VSC_DRV_RING_PKT_H
#define _VSC_DRV_RING_PKT_H

#include "ring_os.h"
#include <vsc/ring.h>
#include <vsc/vmbus.h>

/* GPA ranges count in Hyper-V pages of 4 KiB, whatever the guest's. */
#define VSC_RING_GPA_PAGE_SIZE	4096U
#define VSC_RING_GPA_PAGE_SHIFT	12

/* Which side parses: what each side may legally receive differs. */
enum vsc_ring_view {
	VSC_RING_VIEW_GUEST,	/* from the host: in-band, xfer pages, completion */
	VSC_RING_VIEW_HOST,	/* from the guest: in-band, GPA direct, completion */
};

/**
 * struct vsc_ring_pkt - a parsed packet; pointers point into the buffer
 * @type: VSC_PKT_* type
 * @flags: VSC_PKT_FLAG_* bits, as sent
 * @trans_id: transaction id
 * @data: payload, from the descriptor's offset8 to the end of the packet
 * @data_len: bytes of @data; padding included, so the protocol message
 *	may be shorter
 * @xfer: for VSC_PKT_DATA_XFER_PAGES
 * @xfer.pageset_id: the transfer page set
 * @xfer.sender_owns: sender_owns_set, as sent
 * @xfer.count: number of @xfer.ranges
 * @xfer.ranges: byte ranges inside the page set (check them against it:
 *	vsc_ring_xfer_range_ok())
 * @gpa: for VSC_PKT_DATA_GPA_DIRECT
 * @gpa.count: number of ranges
 * @gpa.pages: total PFNs of all ranges
 * @gpa.ranges: the first range; walk them with struct vsc_ring_gpa_iter
 * @gpa.len: bytes of all ranges with their PFNs
 */
struct vsc_ring_pkt {
	u16 type;
	u16 flags;
	u64 trans_id;
	const u8 *data;
	u32 data_len;
	union {
		struct {
			u16 pageset_id;
			u8 sender_owns;
			u32 count;
			const struct vsc_xfer_page_range *ranges;
		} xfer;
		struct {
			u32 count;
			u32 pages;
			const u8 *ranges;
			u32 len;
		} gpa;
	};
};

/**
 * struct vsc_ring_gpa_iter - walks the GPA ranges of a parsed packet
 * @pos: next range
 * @left: bytes of ranges left
 * @count: ranges left
 */
struct vsc_ring_gpa_iter {
	const u8 *pos;
	u32 left;
	u32 count;
};

int vsc_ring_desc_fill(void *hdr, u16 type, u16 flags, u64 trans_id,
		       u32 hdr_len, u32 payload_len);
int vsc_ring_pkt_parse(const void *buf, u32 len, enum vsc_ring_view view,
		       struct vsc_ring_pkt *pkt);
void vsc_ring_gpa_iter_init(struct vsc_ring_gpa_iter *it,
			    const struct vsc_ring_pkt *pkt);
const struct vsc_gpa_range *vsc_ring_gpa_next(struct vsc_ring_gpa_iter *it,
					      u32 *npfn);

/* PFNs a GPA range of @count bytes from @offset into its first page spans. */
static inline u64 vsc_ring_gpa_pfns(u32 offset, u32 count)
{
	return ((u64)offset + count + VSC_RING_GPA_PAGE_SIZE - 1) >>
	       VSC_RING_GPA_PAGE_SHIFT;
}

/* True if a transfer-page range lies inside a page set of @set_len bytes. */
static inline bool vsc_ring_xfer_range_ok(const struct vsc_xfer_page_range *r,
					  u32 set_len)
{
	u32 count = le32_to_cpu(r->byte_count);
	u32 offset = le32_to_cpu(r->byte_offset);

	return count <= set_len && offset <= set_len - count;
}

#endif /* _VSC_DRV_RING_PKT_H */
