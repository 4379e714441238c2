// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus packet descriptors (docs/protocol-facts.md 2.5): filling one in for
 * a packet we send, and parsing a received packet in its private copy.
 *
 * The parser trusts nothing but the buffer's length: every count, length
 * and offset from the packet is checked with comparisons that cannot wrap
 * (`len > size - off`) before the bytes it covers are looked at. The
 * guest's view accepts what a host sends (in-band, transfer pages,
 * completions), the host's view what a guest sends (in-band, GPA direct,
 * completions); any other type is refused.
 */
#ifdef __KERNEL__
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#endif

#include "ring.h"

/**
 * vsc_ring_desc_fill() - fill in a packet descriptor
 * @hdr: the packet's header, starting with a struct vsc_packet_desc
 * @type: VSC_PKT_* type
 * @flags: VSC_PKT_FLAG_* bits
 * @trans_id: transaction id
 * @hdr_len: bytes of @hdr (descriptor included), a multiple of 8: the
 *	payload starts there
 * @payload_len: bytes of payload after @hdr
 *
 * Return: 0; -EINVAL for a bad @hdr_len; -EMSGSIZE when the packet is too
 * long for a descriptor.
 */
int vsc_ring_desc_fill(void *hdr, u16 type, u16 flags, u64 trans_id,
		       u32 hdr_len, u32 payload_len)
{
	struct vsc_packet_desc *desc = hdr;
	u32 len;

	if (hdr_len < sizeof(*desc) || hdr_len % VSC_PKT_ALIGN)
		return -EINVAL;
	if (hdr_len > VSC_RING_MAX_PACKET ||
	    payload_len > VSC_RING_MAX_PACKET - hdr_len)
		return -EMSGSIZE;
	len = hdr_len + payload_len;
	desc->type = cpu_to_le16(type);
	desc->offset8 = cpu_to_le16(hdr_len / VSC_PKT_ALIGN);
	desc->len8 = cpu_to_le16((len + VSC_PKT_ALIGN - 1) / VSC_PKT_ALIGN);
	desc->flags = cpu_to_le16(flags);
	desc->trans_id = cpu_to_le64(trans_id);
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_desc_fill);

/* Ranges of a transfer-page packet lie between the header and offset8. */
static int vsc_ring_parse_xfer(const u8 *p, u32 off, struct vsc_ring_pkt *pkt)
{
	const struct vsc_xfer_page_header *h = (const void *)p;
	u32 count;

	if (off < sizeof(*h))
		return -EBADMSG;
	count = le32_to_cpu(h->range_count);
	if (!count ||
	    count > (off - sizeof(*h)) / sizeof(struct vsc_xfer_page_range))
		return -EBADMSG;
	pkt->xfer.pageset_id = le16_to_cpu(h->xfer_pageset_id);
	pkt->xfer.sender_owns = h->sender_owns_set;
	pkt->xfer.count = count;
	pkt->xfer.ranges = (const void *)(p + sizeof(*h));
	return 0;
}

/*
 * Checks one GPA range at @p with @left bytes of range area behind it.
 * Returns its size in bytes, PFNs included, or 0 if it is malformed.
 */
static u32 vsc_ring_gpa_range_len(const u8 *p, u32 left, u32 *npfn)
{
	const struct vsc_gpa_range *r = (const void *)p;
	u32 count, offset;
	u64 pfns;

	if (left < sizeof(*r))
		return 0;
	count = le32_to_cpu(r->byte_count);
	offset = le32_to_cpu(r->byte_offset);
	if (!count || offset >= VSC_RING_GPA_PAGE_SIZE)
		return 0;
	pfns = vsc_ring_gpa_pfns(offset, count);
	if (pfns > (left - sizeof(*r)) / sizeof(__le64))
		return 0;
	*npfn = (u32)pfns;
	return sizeof(*r) + (u32)pfns * sizeof(__le64);
}

/* Ranges of a GPA-direct packet, each with its PFNs, up to offset8. */
static int vsc_ring_parse_gpa(const u8 *p, u32 off, struct vsc_ring_pkt *pkt)
{
	const struct vsc_gpa_direct_header *h = (const void *)p;
	u32 count, i, left, n, npfn, pages = 0;
	const u8 *pos;

	if (off < sizeof(*h))
		return -EBADMSG;
	count = le32_to_cpu(h->range_count);
	if (!count)
		return -EBADMSG;
	pos = p + sizeof(*h);
	left = off - sizeof(*h);
	for (i = 0; i < count; i++) {
		n = vsc_ring_gpa_range_len(pos, left, &npfn);
		if (!n)
			return -EBADMSG;
		pos += n;
		left -= n;
		pages += npfn;
	}
	pkt->gpa.count = count;
	pkt->gpa.pages = pages;
	pkt->gpa.ranges = p + sizeof(*h);
	pkt->gpa.len = off - sizeof(*h) - left;
	return 0;
}

/**
 * vsc_ring_pkt_parse() - check and decode a received packet
 * @buf: the packet, in the reader's private buffer
 * @len: its length as vsc_ring_read_next() returned it
 * @view: VSC_RING_VIEW_GUEST or VSC_RING_VIEW_HOST: who received it
 * @pkt: filled in on success; its pointers point into @buf
 *
 * Return: 0; -EBADMSG when lengths, offsets or ranges are inconsistent;
 * -EOPNOTSUPP when this side may not receive the packet's type.
 */
int vsc_ring_pkt_parse(const void *buf, u32 len, enum vsc_ring_view view,
		       struct vsc_ring_pkt *pkt)
{
	const struct vsc_packet_desc *desc = buf;
	const u8 *p = buf;
	u32 plen, off;
	u16 type;

	vsc_ring_zero(pkt, sizeof(*pkt));
	if (len < sizeof(*desc) || len % VSC_PKT_ALIGN)
		return -EBADMSG;
	plen = (u32)le16_to_cpu(desc->len8) * VSC_PKT_ALIGN;
	off = (u32)le16_to_cpu(desc->offset8) * VSC_PKT_ALIGN;
	if (plen != len || off < sizeof(*desc) || off > plen)
		return -EBADMSG;

	type = le16_to_cpu(desc->type);
	pkt->type = type;
	pkt->flags = le16_to_cpu(desc->flags);
	pkt->trans_id = le64_to_cpu(desc->trans_id);
	pkt->data = p + off;
	pkt->data_len = plen - off;

	switch (type) {
	case VSC_PKT_DATA_INBAND:
	case VSC_PKT_COMPLETION:
		return 0;
	case VSC_PKT_DATA_XFER_PAGES:
		if (view != VSC_RING_VIEW_GUEST)
			return -EOPNOTSUPP;
		return vsc_ring_parse_xfer(p, off, pkt);
	case VSC_PKT_DATA_GPA_DIRECT:
		if (view != VSC_RING_VIEW_HOST)
			return -EOPNOTSUPP;
		return vsc_ring_parse_gpa(p, off, pkt);
	default:
		return -EOPNOTSUPP;
	}
}
EXPORT_SYMBOL_GPL(vsc_ring_pkt_parse);

/**
 * vsc_ring_gpa_iter_init() - start walking the GPA ranges of a packet
 * @it: the iterator
 * @pkt: a VSC_PKT_DATA_GPA_DIRECT packet from vsc_ring_pkt_parse()
 */
void vsc_ring_gpa_iter_init(struct vsc_ring_gpa_iter *it,
			    const struct vsc_ring_pkt *pkt)
{
	if (pkt->type != VSC_PKT_DATA_GPA_DIRECT) {
		vsc_ring_zero(it, sizeof(*it));
		return;
	}
	it->pos = pkt->gpa.ranges;
	it->left = pkt->gpa.len;
	it->count = pkt->gpa.count;
}
EXPORT_SYMBOL_GPL(vsc_ring_gpa_iter_init);

/**
 * vsc_ring_gpa_next() - the next GPA range
 * @it: the iterator
 * @npfn: set to the number of PFNs in the range returned
 *
 * The parser checked the ranges already; this checks each again so that a
 * misused iterator cannot walk off the buffer.
 *
 * Return: the range, or NULL after the last one.
 */
const struct vsc_gpa_range *vsc_ring_gpa_next(struct vsc_ring_gpa_iter *it,
					      u32 *npfn)
{
	const struct vsc_gpa_range *r;
	u32 n;

	if (!it->count)
		return NULL;
	n = vsc_ring_gpa_range_len(it->pos, it->left, npfn);
	if (!n) {
		it->count = 0;
		return NULL;
	}
	r = (const void *)it->pos;
	it->pos += n;
	it->left -= n;
	it->count--;
	return r;
}
EXPORT_SYMBOL_GPL(vsc_ring_gpa_next);
