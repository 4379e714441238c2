/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host that lies on purpose (--hostile=CLASS,...) and a host with a
 * deliberate bug (--bug=NAME). Hostile classes test the guest: it must
 * survive each one with no kernel report and mark only the attacked
 * channel broken. Bugs test the tests: each must make its named test fail
 * (tools/check.sh, "bug modes"). VMBUS.md lists them.
 */
#ifndef VSP_HOSTILE_H
#define VSP_HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

/* Control-plane lies: sent as one burst after ALLOFFERS_DELIVERED. */
#define VSP_H_MSG_SHORT		(1U << 0)	/* truncated messages */
#define VSP_H_MSG_TYPE		(1U << 1)	/* unknown and guest-only types */
#define VSP_H_MSG_RELID		(1U << 2)	/* relids out of range, unknown */
#define VSP_H_GPADL		(1U << 3)	/* GPADL answers never asked for */
#define VSP_H_OPEN		(1U << 4)	/* OPENCHANNEL_RESULT unasked */
#define VSP_H_VERSION		(1U << 5)	/* VERSION_RESPONSE etc. unasked */
#define VSP_H_OFFER_STORM	(1U << 6)	/* offers rescinded at once */
/* Ring lies: on one channel (--hostile-relid), one class per open. */
#define VSP_H_RING_LEN		(1U << 8)	/* len8 beyond the write index */
#define VSP_H_RING_OFFSET	(1U << 9)	/* offset8 beyond len8 */
#define VSP_H_RING_WINDEX	(1U << 10)	/* write index beyond the ring */
#define VSP_H_RING_WALIGN	(1U << 11)	/* write index not 8-aligned */
#define VSP_H_RING_TYPE		(1U << 12)	/* unknown packet type */
#define VSP_H_RING_TID		(1U << 13)	/* completion, unknown trans_id */
#define VSP_H_RING_RINDEX	(1U << 14)	/* guest-to-host read index lie */

#define VSP_H_CTL_ALL		0x7fU
#define VSP_H_RING_ALL		0x7f00U
#define VSP_H_ALL		(VSP_H_CTL_ALL | VSP_H_RING_ALL)

/* A ring attack comes after this many good answers on the channel. */
#define VSP_HOSTILE_AFTER	20
/* Offers made and rescinded at once by offer-storm. */
#define VSP_HOSTILE_STORM	8
/* The GPADL handles and openid of lies: never ones the guest uses. */
#define VSP_HOSTILE_GPADL	0x7ead0000U
#define VSP_HOSTILE_OPENID	0x7eadbeefU

struct vsp_name_bit {
	const char *name;
	uint32_t bit;
};

static const struct vsp_name_bit vsp_hostile_names[] = {
	{ "msg-short", VSP_H_MSG_SHORT },
	{ "msg-type", VSP_H_MSG_TYPE },
	{ "msg-relid", VSP_H_MSG_RELID },
	{ "gpadl-unasked", VSP_H_GPADL },
	{ "open-unasked", VSP_H_OPEN },
	{ "version-unasked", VSP_H_VERSION },
	{ "offer-storm", VSP_H_OFFER_STORM },
	{ "ring-len", VSP_H_RING_LEN },
	{ "ring-offset", VSP_H_RING_OFFSET },
	{ "ring-windex", VSP_H_RING_WINDEX },
	{ "ring-walign", VSP_H_RING_WALIGN },
	{ "ring-type", VSP_H_RING_TYPE },
	{ "ring-tid", VSP_H_RING_TID },
	{ "ring-rindex", VSP_H_RING_RINDEX },
	{ "ctl", VSP_H_CTL_ALL },
	{ "ring", VSP_H_RING_ALL },
	{ "all", VSP_H_ALL },
};

/* Deliberate host bugs, each caught by one test (check.sh). */
#define VSP_BUG_DROP_EOM	(1U << 0)	/* EOM does not release the next */
#define VSP_BUG_SKIP_SIGNAL	(1U << 1)	/* no interrupt for answers */
#define VSP_BUG_CORRUPT_ECHO	(1U << 2)	/* flips a byte of some echoes */
#define VSP_BUG_NO_UNLOAD_RESP	(1U << 3)	/* UNLOAD is never answered */
#define VSP_BUG_LOSE_OFFER	(1U << 4)	/* the last device is not offered */
#define VSP_BUG_NO_SEND_WAKEUP	(1U << 5)	/* pending_send_sz never answered */
#define VSP_BUG_WRONG_RESIDUAL	(1U << 6)	/* disks claim the whole buffer moved */

static const struct vsp_name_bit vsp_bug_names[] = {
	{ "drop-eom", VSP_BUG_DROP_EOM },
	{ "skip-signal", VSP_BUG_SKIP_SIGNAL },
	{ "corrupt-echo", VSP_BUG_CORRUPT_ECHO },
	{ "no-unload-response", VSP_BUG_NO_UNLOAD_RESP },
	{ "lose-offer", VSP_BUG_LOSE_OFFER },
	{ "no-send-wakeup", VSP_BUG_NO_SEND_WAKEUP },
	{ "wrong-residual", VSP_BUG_WRONG_RESIDUAL },
};

struct vsp_vmbus;
struct vsc_ring;

/* Sends the control-plane lies of vm->h->hostile (after the offers). */
void vsp_hostile_ctl_burst(struct vsp_vmbus *vm);

/* The ring class for the opens-th open of the attacked channel, or 0. */
uint32_t vsp_hostile_ring_pick(uint32_t hostile, uint64_t opens);

/*
 * Falsifies the descriptor of the packet just written at offset start of
 * the host-to-guest ring, before it is published (ring-len, -offset,
 * -type, -tid). Returns true if cls is one of those.
 */
bool vsp_hostile_ring_desc(uint32_t cls, struct vsc_ring *out,
			   uint32_t start);

/*
 * Lies in a shared index after a batch was published (ring-windex,
 * -walign into out, ring-rindex into in). Returns true if cls is one.
 */
bool vsp_hostile_ring_index(uint32_t cls, struct vsc_ring *out,
			    struct vsc_ring *in);

const char *vsp_hostile_name(uint32_t bit);

#endif /* VSP_HOSTILE_H */
