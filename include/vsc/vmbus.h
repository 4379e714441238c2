/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus control protocol: versions, connection ids, channel messages.
 * These travel as the payload of HvPostMessage (guest to host) and of the
 * SINT 2 message slot (host to guest), 240 bytes at most.
 * Facts: docs/protocol-facts.md section 2.
 */
#ifndef _VSC_VMBUS_H
#define _VSC_VMBUS_H

#include "types.h"
#include "hv.h"

/* Protocol versions: major << 16 | minor. */
#define VSC_VMBUS_VERSION(major, minor)	(((major) << 16) | (minor))
#define VSC_VMBUS_VERSION_WS2008	VSC_VMBUS_VERSION(0, 13)
#define VSC_VMBUS_VERSION_WIN7		VSC_VMBUS_VERSION(1, 1)
#define VSC_VMBUS_VERSION_WIN8		VSC_VMBUS_VERSION(2, 4)
#define VSC_VMBUS_VERSION_WIN8_1	VSC_VMBUS_VERSION(3, 0)
#define VSC_VMBUS_VERSION_WIN10		VSC_VMBUS_VERSION(4, 0)
#define VSC_VMBUS_VERSION_WIN10_V4_1	VSC_VMBUS_VERSION(4, 1)
#define VSC_VMBUS_VERSION_WIN10_V5	VSC_VMBUS_VERSION(5, 0)
#define VSC_VMBUS_VERSION_WIN10_V5_1	VSC_VMBUS_VERSION(5, 1)
#define VSC_VMBUS_VERSION_WIN10_V5_2	VSC_VMBUS_VERSION(5, 2)
#define VSC_VMBUS_VERSION_WIN10_V5_3	VSC_VMBUS_VERSION(5, 3)

/* Connection ids. */
#define VSC_VMBUS_MESSAGE_CONNECTION_ID		1
#define VSC_VMBUS_EVENT_CONNECTION_ID		2
#define VSC_VMBUS_MONITOR_CONNECTION_ID		3
#define VSC_VMBUS_MESSAGE_CONNECTION_ID_4	4

/* Relids run from 1; the SINT 2 event-flag area bounds them. */
#define VSC_VMBUS_MAX_RELID		2047

enum vsc_vmbus_msgtype {
	VSC_VMBUS_MSG_INVALID			= 0,
	VSC_VMBUS_MSG_OFFERCHANNEL		= 1,
	VSC_VMBUS_MSG_RESCIND_CHANNELOFFER	= 2,
	VSC_VMBUS_MSG_REQUESTOFFERS		= 3,
	VSC_VMBUS_MSG_ALLOFFERS_DELIVERED	= 4,
	VSC_VMBUS_MSG_OPENCHANNEL		= 5,
	VSC_VMBUS_MSG_OPENCHANNEL_RESULT	= 6,
	VSC_VMBUS_MSG_CLOSECHANNEL		= 7,
	VSC_VMBUS_MSG_GPADL_HEADER		= 8,
	VSC_VMBUS_MSG_GPADL_BODY		= 9,
	VSC_VMBUS_MSG_GPADL_CREATED		= 10,
	VSC_VMBUS_MSG_GPADL_TEARDOWN		= 11,
	VSC_VMBUS_MSG_GPADL_TORNDOWN		= 12,
	VSC_VMBUS_MSG_RELID_RELEASED		= 13,
	VSC_VMBUS_MSG_INITIATE_CONTACT		= 14,
	VSC_VMBUS_MSG_VERSION_RESPONSE		= 15,
	VSC_VMBUS_MSG_UNLOAD			= 16,
	VSC_VMBUS_MSG_UNLOAD_RESPONSE		= 17,
	VSC_VMBUS_MSG_OPEN_RESERVED_CHANNEL	= 18,
	VSC_VMBUS_MSG_CLOSE_RESERVED_CHANNEL	= 19,
	VSC_VMBUS_MSG_CLOSE_RESERVED_RESPONSE	= 20,
	VSC_VMBUS_MSG_TL_CONNECT_REQUEST	= 21,
	VSC_VMBUS_MSG_MODIFYCHANNEL		= 22,
	VSC_VMBUS_MSG_TL_CONNECT_RESULT		= 23,
	VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE	= 24,
	VSC_VMBUS_MSG_COUNT
};

struct vsc_vmbus_msg_header {
	__le32 msgtype;
	__le32 padding;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_msg_header, 8);

/* Messages with no body (REQUESTOFFERS, ALLOFFERS_DELIVERED, UNLOAD, ...). */

/* Offer flags (chn_flags). */
#define VSC_VMBUS_OFFER_ENUMERATE_DEVICE_INTERFACE	0x0001
#define VSC_VMBUS_OFFER_SERVER_SUPPORTS_TRANSFER_PAGES	0x0002
#define VSC_VMBUS_OFFER_SERVER_SUPPORTS_GPADLS		0x0004
#define VSC_VMBUS_OFFER_NAMED_PIPE_MODE			0x0010
#define VSC_VMBUS_OFFER_LOOPBACK			0x0100
#define VSC_VMBUS_OFFER_PARENT				0x0200
#define VSC_VMBUS_OFFER_REQUEST_MONITORED_NOTIFICATION	0x0400
#define VSC_VMBUS_OFFER_TLNPI_PROVIDER			0x2000

#define VSC_VMBUS_USER_DEFINED_BYTES	120

struct vsc_vmbus_offer {
	struct vsc_guid if_type;
	struct vsc_guid if_instance;
	__le64 reserved1;
	__le64 reserved2;
	__le16 chn_flags;
	__le16 mmio_megabytes;
	__u8 user_defined[VSC_VMBUS_USER_DEFINED_BYTES];
	__le16 sub_channel_index;	/* 0: primary channel */
	__le16 mmio_megabytes_optional;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_offer, 176);
VSC_FIELD(struct vsc_vmbus_offer, if_instance, 16);
VSC_FIELD(struct vsc_vmbus_offer, chn_flags, 48);
VSC_FIELD(struct vsc_vmbus_offer, mmio_megabytes, 50);
VSC_FIELD(struct vsc_vmbus_offer, user_defined, 52);
VSC_FIELD(struct vsc_vmbus_offer, sub_channel_index, 172);

#define VSC_VMBUS_OFFER_MONITOR_ALLOCATED	0x01	/* monitor_flags bit 0 */
#define VSC_VMBUS_OFFER_DEDICATED_INTERRUPT	0x0001	/* interrupt_flags bit 0 */

struct vsc_vmbus_offer_channel {
	struct vsc_vmbus_msg_header header;
	struct vsc_vmbus_offer offer;
	__le32 child_relid;
	__u8 monitorid;
	__u8 monitor_flags;
	__le16 interrupt_flags;
	__le32 connection_id;		/* used to signal the host (Win7+) */
} __packed;
VSC_LAYOUT(struct vsc_vmbus_offer_channel, 196);
VSC_FIELD(struct vsc_vmbus_offer_channel, offer, 8);
VSC_FIELD(struct vsc_vmbus_offer_channel, child_relid, 184);
VSC_FIELD(struct vsc_vmbus_offer_channel, monitorid, 188);
VSC_FIELD(struct vsc_vmbus_offer_channel, monitor_flags, 189);
VSC_FIELD(struct vsc_vmbus_offer_channel, interrupt_flags, 190);
VSC_FIELD(struct vsc_vmbus_offer_channel, connection_id, 192);

/* RESCIND_CHANNELOFFER, CLOSECHANNEL and RELID_RELEASED carry only a relid. */
struct vsc_vmbus_relid_msg {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_relid_msg, 12);
VSC_FIELD(struct vsc_vmbus_relid_msg, child_relid, 8);

struct vsc_vmbus_open_channel {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 openid;
	__le32 ringbuffer_gpadl;
	__le32 target_vp;
	__le32 downstream_ring_pageoffset;	/* host-to-guest ring, in pages */
	__u8 userdata[VSC_VMBUS_USER_DEFINED_BYTES];
} __packed;
VSC_LAYOUT(struct vsc_vmbus_open_channel, 148);
VSC_FIELD(struct vsc_vmbus_open_channel, child_relid, 8);
VSC_FIELD(struct vsc_vmbus_open_channel, openid, 12);
VSC_FIELD(struct vsc_vmbus_open_channel, ringbuffer_gpadl, 16);
VSC_FIELD(struct vsc_vmbus_open_channel, target_vp, 20);
VSC_FIELD(struct vsc_vmbus_open_channel, downstream_ring_pageoffset, 24);
VSC_FIELD(struct vsc_vmbus_open_channel, userdata, 28);

struct vsc_vmbus_open_result {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 openid;
	__le32 status;			/* 0: opened */
} __packed;
VSC_LAYOUT(struct vsc_vmbus_open_result, 20);
VSC_FIELD(struct vsc_vmbus_open_result, openid, 12);
VSC_FIELD(struct vsc_vmbus_open_result, status, 16);

/* A range of guest pages: byte_count bytes from byte_offset into pfn[0]. */
struct vsc_gpa_range {
	__le32 byte_count;
	__le32 byte_offset;
	__le64 pfn[];
} __packed;
VSC_LAYOUT(struct vsc_gpa_range, 8);

struct vsc_vmbus_gpadl_header {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 gpadl;
	__le16 range_buflen;		/* bytes of ranges incl. all their pfns */
	__le16 rangecount;
	/* rangecount struct vsc_gpa_range, each with its pfns, follow */
} __packed;
VSC_LAYOUT(struct vsc_vmbus_gpadl_header, 20);
VSC_FIELD(struct vsc_vmbus_gpadl_header, gpadl, 12);
VSC_FIELD(struct vsc_vmbus_gpadl_header, range_buflen, 16);
VSC_FIELD(struct vsc_vmbus_gpadl_header, rangecount, 18);

/* PFNs that fit after a one-range GPADL header, and in each body message. */
#define VSC_VMBUS_GPADL_HEADER_PFNS \
	((VSC_HV_MESSAGE_PAYLOAD - sizeof(struct vsc_vmbus_gpadl_header) - \
	  sizeof(struct vsc_gpa_range)) / sizeof(__le64))
#define VSC_VMBUS_GPADL_BODY_PFNS \
	((VSC_HV_MESSAGE_PAYLOAD - sizeof(struct vsc_vmbus_gpadl_body)) / \
	 sizeof(__le64))

struct vsc_vmbus_gpadl_body {
	struct vsc_vmbus_msg_header header;
	__le32 msgnumber;
	__le32 gpadl;
	__le64 pfn[];
} __packed;
VSC_LAYOUT(struct vsc_vmbus_gpadl_body, 16);
VSC_FIELD(struct vsc_vmbus_gpadl_body, gpadl, 12);
VSC_FIELD(struct vsc_vmbus_gpadl_body, pfn, 16);

struct vsc_vmbus_gpadl_created {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 gpadl;
	__le32 creation_status;		/* 0: created */
} __packed;
VSC_LAYOUT(struct vsc_vmbus_gpadl_created, 20);
VSC_FIELD(struct vsc_vmbus_gpadl_created, gpadl, 12);
VSC_FIELD(struct vsc_vmbus_gpadl_created, creation_status, 16);

struct vsc_vmbus_gpadl_teardown {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 gpadl;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_gpadl_teardown, 16);
VSC_FIELD(struct vsc_vmbus_gpadl_teardown, gpadl, 12);

struct vsc_vmbus_gpadl_torndown {
	struct vsc_vmbus_msg_header header;
	__le32 gpadl;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_gpadl_torndown, 12);
VSC_FIELD(struct vsc_vmbus_gpadl_torndown, gpadl, 8);

/*
 * INITIATE_CONTACT. Before 5.0 the quadword at offset 16 is the GPA of the
 * guest's interrupt page; from 5.0 on it carries the SINT (and VTL) on which
 * the guest wants control messages.
 */
struct vsc_vmbus_initiate_contact {
	struct vsc_vmbus_msg_header header;
	__le32 vmbus_version_requested;
	__le32 target_vcpu;		/* VP index for control messages */
	union {
		__le64 interrupt_page;
		struct {
			__u8 msg_sint;
			__u8 msg_vtl;
			__u8 reserved[2];
			__le32 feature_flags;
		} __packed;
	} __packed;
	__le64 monitor_page1;		/* host to guest */
	__le64 monitor_page2;		/* guest to host */
} __packed;
VSC_LAYOUT(struct vsc_vmbus_initiate_contact, 40);
VSC_FIELD(struct vsc_vmbus_initiate_contact, vmbus_version_requested, 8);
VSC_FIELD(struct vsc_vmbus_initiate_contact, target_vcpu, 12);
VSC_FIELD(struct vsc_vmbus_initiate_contact, interrupt_page, 16);
VSC_FIELD(struct vsc_vmbus_initiate_contact, msg_sint, 16);
VSC_FIELD(struct vsc_vmbus_initiate_contact, msg_vtl, 17);
VSC_FIELD(struct vsc_vmbus_initiate_contact, feature_flags, 20);
VSC_FIELD(struct vsc_vmbus_initiate_contact, monitor_page1, 24);
VSC_FIELD(struct vsc_vmbus_initiate_contact, monitor_page2, 32);

/* VERSION_RESPONSE connection_state. */
#define VSC_VMBUS_CONNECTION_OK			0
#define VSC_VMBUS_CONNECTION_LOW_RESOURCES	1
#define VSC_VMBUS_CONNECTION_FAILED		2

struct vsc_vmbus_version_response {
	struct vsc_vmbus_msg_header header;
	__u8 version_supported;
	__u8 connection_state;
	__le16 padding;
	__le32 msg_conn_id;		/* 5.0+: id for later messages */
} __packed;
VSC_LAYOUT(struct vsc_vmbus_version_response, 16);
VSC_FIELD(struct vsc_vmbus_version_response, version_supported, 8);
VSC_FIELD(struct vsc_vmbus_version_response, connection_state, 9);
VSC_FIELD(struct vsc_vmbus_version_response, msg_conn_id, 12);

struct vsc_vmbus_tl_connect_request {
	struct vsc_vmbus_msg_header header;
	struct vsc_guid guest_endpoint_id;
	struct vsc_guid host_service_id;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_tl_connect_request, 40);
VSC_FIELD(struct vsc_vmbus_tl_connect_request, host_service_id, 24);

struct vsc_vmbus_modifychannel {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 target_vp;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_modifychannel, 16);
VSC_FIELD(struct vsc_vmbus_modifychannel, target_vp, 12);

struct vsc_vmbus_modifychannel_response {
	struct vsc_vmbus_msg_header header;
	__le32 child_relid;
	__le32 status;
} __packed;
VSC_LAYOUT(struct vsc_vmbus_modifychannel_response, 16);
VSC_FIELD(struct vsc_vmbus_modifychannel_response, status, 12);

/* Device classes (if_type of an offer). */
#define VSC_CLASS_NETVSC	VSC_GUID(0xf8615163, 0xdf3e, 0x46c5, \
			0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e)
#define VSC_CLASS_STORVSC	VSC_GUID(0xba6163d9, 0x04a1, 0x4d29, \
			0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f)
#define VSC_CLASS_IDE		VSC_GUID(0x32412632, 0x86cb, 0x44a2, \
			0x9b, 0x5c, 0x50, 0xd1, 0x41, 0x73, 0x54, 0xf5)
#define VSC_CLASS_DYNMEM	VSC_GUID(0x525074dc, 0x8985, 0x46e2, \
			0x80, 0x57, 0xa3, 0x07, 0xdc, 0x18, 0xa5, 0x02)

/*
 * The same class GUIDs as text, lower case, as the bus puts them in
 * MODALIAS=vsc_vmbus:<guid> and drivers in MODULE_ALIAS().
 */
#define VSC_CLASS_NETVSC_STR	"f8615163-df3e-46c5-913f-f2d2f965ed0e"
#define VSC_CLASS_STORVSC_STR	"ba6163d9-04a1-4d29-b605-72e2ffb1dc7f"
#define VSC_CLASS_IDE_STR	"32412632-86cb-44a2-9b5c-50d1417354f5"
#define VSC_CLASS_DYNMEM_STR	"525074dc-8985-46e2-8057-a307dc18a502"

#endif /* _VSC_VMBUS_H */
