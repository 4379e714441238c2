// SPDX-License-Identifier: GPL-2.0
/*
 * Transfer-page packets from the host (type 7, VM_PKT_DATA_USING_XFER_PAGES
 * in Linux): netvsc's receive path. The data already sits in the guest's
 * receive buffer, a GPADL the guest created; the packet names that buffer
 * by its transfer page set id and carries (byte_count, byte_offset)
 * ranges into it, then the protocol message. Every range is checked
 * against the GPADL's size here, so the host never points the guest
 * outside its own buffer.
 */
#include <errno.h>
#include <string.h>

#include "chan_int.h"
#include "dev/dev.h"

/* More ranges than a packet descriptor could ever describe. */
#define XFER_MAX_RANGES \
	((VSC_RING_MAX_PACKET - sizeof(struct vsc_xfer_page_header)) / \
	 sizeof(struct vsc_xfer_page_range))

int vsp_chan_send_xfer(struct vsp_dev_chan *dc, uint32_t gpadl,
		       uint16_t pageset_id,
		       const struct vsc_xfer_page_range *ranges, uint32_t n,
		       uint16_t flags, uint64_t trans_id, const void *payload,
		       uint32_t len)
{
	struct vsc_xfer_page_header h;
	struct vsc_ring_buf b[3];
	uint32_t relid, primary, i, count, off, hdr_len;
	uint64_t size;
	int ret;

	if (!n || n > XFER_MAX_RANGES || (len && !payload))
		return -EINVAL;
	relid = dc->w->relid;
	primary = dc->w->primary;
	ret = vsp_vmbus_gpadl_bytes(dc->w->vm, relid, primary, gpadl, &size);
	if (ret) {
		vsp_log("relid %u: transfer pages against GPADL %#x: not one of this channel's",
			relid, gpadl);
		return ret;
	}
	for (i = 0; i < n; i++) {
		count = le32_to_cpu(ranges[i].byte_count);
		off = le32_to_cpu(ranges[i].byte_offset);
		if (!count || off > size || count > size - off) {
			vsp_log("relid %u: transfer page range %u (%u bytes at %u) outside GPADL %#x of %llu bytes",
				relid, i, count, off, gpadl,
				(unsigned long long)size);
			return -ERANGE;
		}
	}
	hdr_len = sizeof(h) + n * sizeof(ranges[0]);
	memset(&h, 0, sizeof(h));
	ret = vsc_ring_desc_fill(&h, VSC_PKT_DATA_XFER_PAGES, flags, trans_id,
				 hdr_len, len);
	if (ret)
		return ret == -EMSGSIZE ? (dc->refused++, 0) : ret;
	h.xfer_pageset_id = cpu_to_le16(pageset_id);
	h.range_count = cpu_to_le32(n);
	b[0].base = &h;
	b[0].len = sizeof(h);
	b[1].base = ranges;
	b[1].len = n * sizeof(ranges[0]);
	b[2].base = payload;
	b[2].len = len;
	return vsp_worker_send(dc->w, b, 3, hdr_len + len);
}
