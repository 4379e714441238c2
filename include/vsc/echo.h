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

static inline __u8 vsc_echo_byte(__u32 seed, __u32 i)
{
	return (__u8)(seed + i * 131);
}

#endif /* _VSC_ECHO_H */
