/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus ring buffers and the packets they carry.
 *
 * A channel has two rings, each a 4 KiB control page followed by a data
 * area. Packets in the data area are 8-byte aligned, start with a packet
 * descriptor and are followed by an 8-byte trailer.
 * Facts: docs/protocol-facts.md sections 2.4 and 2.5.
 */
#ifndef _VSC_RING_H
#define _VSC_RING_H

#include "types.h"

#define VSC_RING_CONTROL_SIZE		4096
#define VSC_RING_FEAT_PENDING_SEND_SZ	0x1

/*
 * Not __packed: every field is naturally aligned (the asserts prove the
 * layout), and both sides take the indices' addresses for atomic access.
 */
struct vsc_ring_control {
	__le32 write_index;		/* byte offset into the data area */
	__le32 read_index;
	__le32 interrupt_mask;		/* set by the reader: do not signal */
	__le32 pending_send_sz;		/* writer waits for this much room */
	__le32 reserved1[12];
	__le32 feature_bits;
	__u8 reserved2[VSC_RING_CONTROL_SIZE - 68];
};
VSC_LAYOUT(struct vsc_ring_control, VSC_RING_CONTROL_SIZE);
VSC_FIELD(struct vsc_ring_control, read_index, 4);
VSC_FIELD(struct vsc_ring_control, interrupt_mask, 8);
VSC_FIELD(struct vsc_ring_control, pending_send_sz, 12);
VSC_FIELD(struct vsc_ring_control, feature_bits, 64);

/* Packet types (descriptor.type). */
enum vsc_packet_type {
	VSC_PKT_INVALID			= 0,
	VSC_PKT_SYNCH			= 1,
	VSC_PKT_ADD_XFER_PAGESET	= 2,
	VSC_PKT_RM_XFER_PAGESET		= 3,
	VSC_PKT_ESTABLISH_GPADL		= 4,
	VSC_PKT_TEARDOWN_GPADL		= 5,
	VSC_PKT_DATA_INBAND		= 6,
	VSC_PKT_DATA_XFER_PAGES		= 7,
	VSC_PKT_DATA_GPADL		= 8,
	VSC_PKT_DATA_GPA_DIRECT		= 9,
	VSC_PKT_CANCEL_REQUEST		= 10,
	VSC_PKT_COMPLETION		= 11,
	VSC_PKT_DATA_ADDITIONAL		= 12,
	VSC_PKT_ADDITIONAL_DATA		= 13,
};

#define VSC_PKT_FLAG_COMPLETION_REQUESTED	0x0001

struct vsc_packet_desc {
	__le16 type;
	__le16 offset8;		/* payload offset, in 8-byte units */
	__le16 len8;		/* packet length without trailer, 8-byte units */
	__le16 flags;
	__le64 trans_id;
} __packed;
VSC_LAYOUT(struct vsc_packet_desc, 16);
VSC_FIELD(struct vsc_packet_desc, offset8, 2);
VSC_FIELD(struct vsc_packet_desc, len8, 4);
VSC_FIELD(struct vsc_packet_desc, flags, 6);
VSC_FIELD(struct vsc_packet_desc, trans_id, 8);

/* The trailer after each packet: the writer's write index before it. */
#define VSC_PKT_TRAILER_SIZE	8
#define VSC_PKT_ALIGN		8

/* Type 7: data in transfer pages (netvsc receive). */
struct vsc_xfer_page_range {
	__le32 byte_count;
	__le32 byte_offset;
} __packed;
VSC_LAYOUT(struct vsc_xfer_page_range, 8);

struct vsc_xfer_page_header {
	struct vsc_packet_desc d;
	__le16 xfer_pageset_id;
	__u8 sender_owns_set;
	__u8 reserved;
	__le32 range_count;
	struct vsc_xfer_page_range ranges[];
} __packed;
VSC_LAYOUT(struct vsc_xfer_page_header, 24);
VSC_FIELD(struct vsc_xfer_page_header, xfer_pageset_id, 16);
VSC_FIELD(struct vsc_xfer_page_header, sender_owns_set, 18);
VSC_FIELD(struct vsc_xfer_page_header, range_count, 20);
VSC_FIELD(struct vsc_xfer_page_header, ranges, 24);

/* Type 9: data by GPA direct; each range is a struct vsc_gpa_range. */
struct vsc_gpa_direct_header {
	struct vsc_packet_desc d;
	__le32 reserved;
	__le32 range_count;
	/* struct vsc_gpa_range ranges[], each with its pfns, follow */
} __packed;
VSC_LAYOUT(struct vsc_gpa_direct_header, 24);
VSC_FIELD(struct vsc_gpa_direct_header, range_count, 20);

/* Types 4 and 5: in-ring GPADL establish and teardown. */
struct vsc_gpadl_packet_header {
	struct vsc_packet_desc d;
	__le32 gpadl;
	__le32 reserved;
} __packed;
VSC_LAYOUT(struct vsc_gpadl_packet_header, 24);
VSC_FIELD(struct vsc_gpadl_packet_header, gpadl, 16);

/* Types 2 and 3: add or remove a transfer page set. */
struct vsc_xfer_pageset_packet {
	struct vsc_packet_desc d;
	__le32 gpadl;
	__le16 xfer_pageset_id;
	__le16 reserved;
} __packed;
VSC_LAYOUT(struct vsc_xfer_pageset_packet, 24);
VSC_FIELD(struct vsc_xfer_pageset_packet, xfer_pageset_id, 20);

#endif /* _VSC_RING_H */
