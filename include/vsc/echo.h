/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo device: a VMBus device class of this project's own, offered by
 * vsp-sim to test VMBus without storage or network. Every in-band packet
 * the guest sends comes back with the same payload: as a completion with
 * the same transaction id when the guest asked for one, else as an in-band
 * packet. The payload is a header and bytes of a pattern both sides can
 * check. vsp-sim's knobs (size limit, delay, completion behaviour) are
 * options of its echo device.
 */
#ifndef _VSC_ECHO_H
#define _VSC_ECHO_H

#include "types.h"

/* 7673632d-6563-686f-8001-000000000001 ("vsc-echo") */
#define VSC_CLASS_ECHO		VSC_GUID(0x7673632d, 0x6563, 0x686f, \
			0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01)
#define VSC_CLASS_ECHO_STR	"7673632d-6563-686f-8001-000000000001"

#define VSC_ECHO_MAGIC		0x4f484345	/* "ECHO" */
/*
 * A "SINK" packet is checked like an echo but answered with the header
 * only (len 0, same seq and seed): a one-way stream for benchmarks.
 */
#define VSC_ECHO_MAGIC_SINK	0x4b4e4953	/* "SINK" */

struct vsc_echo_msg {
	__le32 magic;
	__le32 seq;		/* the guest's sequence number */
	__le32 len;		/* bytes of pattern after this header */
	__le32 seed;		/* pattern: byte i is (seed + i * 131) & 0xff */
} __packed;
VSC_LAYOUT(struct vsc_echo_msg, 16);

/*
 * A "CTRL" packet asks the device for something; the answer is the same
 * structure with @status (and @arg) filled in, sent as a completion with the
 * same transaction id when one was requested, else in-band. It is 16 bytes
 * (padding of the ring aside) and only valid on a device's primary channel.
 *
 * VSC_ECHO_OP_SUBCHANNELS: @arg (1..VSC_ECHO_MAX_SUBCHANNELS) sub-channels,
 * once per open of the primary channel. The answer comes first, with @arg
 * the number the host will offer; then that many OFFERCHANNEL messages with
 * the device's class and instance and sub_channel_index 1..@arg. They are
 * echo channels too. The host rescinds them when the primary channel is
 * closed or rescinded, and forgets them on UNLOAD.
 */
#define VSC_ECHO_MAGIC_CTRL	0x4c525443	/* "CTRL" */

#define VSC_ECHO_OP_SUBCHANNELS		1
#define VSC_ECHO_MAX_SUBCHANNELS	8

/* CTRL status: what the host made of the request. */
#define VSC_ECHO_ST_OK		0
#define VSC_ECHO_ST_BAD_OP	1	/* unknown op or malformed message */
#define VSC_ECHO_ST_RANGE	2	/* arg 0 or above the limit */
#define VSC_ECHO_ST_BUSY	3	/* asked already during this open */
#define VSC_ECHO_ST_NOT_PRIMARY	4	/* sent on a sub-channel */

struct vsc_echo_ctrl {
	__le32 magic;		/* VSC_ECHO_MAGIC_CTRL */
	__le32 op;		/* VSC_ECHO_OP_* */
	__le32 arg;		/* request: count; answer: count granted */
	__le32 status;		/* request: 0; answer: VSC_ECHO_ST_* */
} __packed;
VSC_LAYOUT(struct vsc_echo_ctrl, 16);

static inline __u8 vsc_echo_byte(__u32 seed, __u32 i)
{
	return (__u8)(seed + i * 131);
}

#endif /* _VSC_ECHO_H */
