/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor interface used by VMBus: hypercall control word and inputs,
 * status codes, SynIC registers, the message slot and the event flags.
 * Facts: docs/protocol-facts.md section 1 (Hyper-V TLFS).
 */
#ifndef _VSC_HV_H
#define _VSC_HV_H

#include "types.h"

/* Synthetic MSRs (x86). */
#define VSC_MSR_GUEST_OS_ID	0x40000000
#define VSC_MSR_HYPERCALL	0x40000001
#define VSC_MSR_VP_INDEX	0x40000002
#define VSC_MSR_SCONTROL	0x40000080
#define VSC_MSR_SVERSION	0x40000081
#define VSC_MSR_SIEFP		0x40000082
#define VSC_MSR_SIMP		0x40000083
#define VSC_MSR_EOM		0x40000084
#define VSC_MSR_SINT0		0x40000090
#define VSC_MSR_SINT(n)		(VSC_MSR_SINT0 + (n))

/* SCONTROL, SIMP and SIEFP: bit 0 enables, bits 12-63 hold a page number. */
#define VSC_SYNIC_ENABLE	0x1ULL
#define VSC_SYNIC_PAGE_SHIFT	12
#define VSC_SYNIC_GPA_MASK	(~0xfffULL)

/* SINTx register. */
#define VSC_SINT_VECTOR_MASK	0xffULL
#define VSC_SINT_MASKED		(1ULL << 16)
#define VSC_SINT_AUTO_EOI	(1ULL << 17)
#define VSC_SINT_POLLING	(1ULL << 18)
#define VSC_SINT_PROXY		(1ULL << 20)

#define VSC_SINT_COUNT		16
/* VMBus owns the SINT 2 slot of the message page and SINT 2's flags. */
#define VSC_VMBUS_SINT		2

/* Hypercall control word. */
#define VSC_HC_CODE_MASK	0xffffULL
#define VSC_HC_FAST		(1ULL << 16)
#define VSC_HC_VARHEAD_SHIFT	17
#define VSC_HC_NESTED		(1ULL << 31)
#define VSC_HC_REP_COUNT_SHIFT	32
#define VSC_HC_REP_START_SHIFT	48
#define VSC_HC_POST_MESSAGE	0x005c
#define VSC_HC_SIGNAL_EVENT	0x005d

/* Hypercall result: bits 0-15 status, 32-43 reps completed. */
#define VSC_HV_STATUS_MASK		0xffffULL
#define VSC_HV_STATUS_SUCCESS		0
#define VSC_HV_STATUS_INVALID_CODE	2
#define VSC_HV_STATUS_INVALID_INPUT	3
#define VSC_HV_STATUS_INVALID_ALIGNMENT	4
#define VSC_HV_STATUS_INSUFFICIENT_MEMORY 11
#define VSC_HV_STATUS_INVALID_CONNECTION_ID 18
#define VSC_HV_STATUS_INSUFFICIENT_BUFFERS 19

#define VSC_HV_MESSAGE_SIZE	256
#define VSC_HV_MESSAGE_PAYLOAD	240

/* HvPostMessage message_type carried for VMBus channel messages. */
#define VSC_HV_MSGTYPE_VMBUS	1

/* Input page of HvPostMessage (slow hypercall, 8-byte aligned). */
struct vsc_hv_post_message {
	__le32 connection_id;		/* low 24 bits */
	__le32 reserved;
	__le32 message_type;
	__le32 payload_size;		/* at most 240 */
	__u8 payload[VSC_HV_MESSAGE_PAYLOAD];
} __packed;
VSC_LAYOUT(struct vsc_hv_post_message, 256);
VSC_FIELD(struct vsc_hv_post_message, message_type, 8);
VSC_FIELD(struct vsc_hv_post_message, payload_size, 12);
VSC_FIELD(struct vsc_hv_post_message, payload, 16);

#define VSC_HV_CONNECTION_ID_MASK	0x00ffffffU

/*
 * HvSignalEvent is a fast hypercall: its 8-byte input travels in a register.
 * This is the layout of that quadword.
 */
struct vsc_hv_signal_event {
	__le32 connection_id;
	__le16 flag_number;
	__le16 reserved;
} __packed;
VSC_LAYOUT(struct vsc_hv_signal_event, 8);
VSC_FIELD(struct vsc_hv_signal_event, flag_number, 4);

/* One 256-byte slot of the SynIC message page (SIMP). */
#define VSC_HV_MSG_NONE		0x00000000U
#define VSC_HV_MSG_PENDING	0x01		/* message_flags bit 0 */

struct vsc_hv_message_header {
	__le32 message_type;		/* 0: the slot is free */
	__u8 payload_size;
	__u8 message_flags;
	__u8 reserved[2];
	__le64 sender;			/* port id in the low 32 bits */
} __packed;
VSC_LAYOUT(struct vsc_hv_message_header, 16);
VSC_FIELD(struct vsc_hv_message_header, payload_size, 4);
VSC_FIELD(struct vsc_hv_message_header, message_flags, 5);
VSC_FIELD(struct vsc_hv_message_header, sender, 8);

struct vsc_hv_message {
	struct vsc_hv_message_header header;
	__u8 payload[VSC_HV_MESSAGE_PAYLOAD];
} __packed;
VSC_LAYOUT(struct vsc_hv_message, VSC_HV_MESSAGE_SIZE);
VSC_FIELD(struct vsc_hv_message, payload, 16);

struct vsc_hv_message_page {
	struct vsc_hv_message slot[VSC_SINT_COUNT];
} __packed;
VSC_LAYOUT(struct vsc_hv_message_page, 4096);

/* SIEFP page: one 2048-bit flag area per SINT; for VMBus, bit N is relid N. */
#define VSC_HV_EVENT_FLAGS_BYTES	256
#define VSC_HV_EVENT_FLAGS_COUNT	(VSC_HV_EVENT_FLAGS_BYTES * 8)

struct vsc_hv_event_flags {
	__le64 flags[VSC_HV_EVENT_FLAGS_BYTES / 8];
} __packed;
VSC_LAYOUT(struct vsc_hv_event_flags, 256);

struct vsc_hv_event_flags_page {
	struct vsc_hv_event_flags sint[VSC_SINT_COUNT];
} __packed;
VSC_LAYOUT(struct vsc_hv_event_flags_page, 4096);

#endif /* _VSC_HV_H */
