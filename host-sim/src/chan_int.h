/* SPDX-License-Identifier: GPL-2.0 */
/* The channel worker's insides, for chan*.c only: not an API. */
#ifndef VSP_CHAN_INT_H
#define VSP_CHAN_INT_H

#include <pthread.h>

#include "chan.h"
#include "ringlib.h"

struct vsp_worker {
	pthread_t thr;
	int kick_fd, stop_fd;
	struct vsp_host *h;
	struct vsp_vmbus *vm;		/* sub-channel requests, counters */
	struct vsp_chan *c;		/* relid fixed, target_vp atomic */
	const struct vsp_dev_class *cls;
	struct vsp_dev_chan dc;
	bool opened;			/* cls->open() succeeded */
	uint32_t relid, primary;	/* primary: a sub-channel's, or relid */
	struct vsc_ring in;		/* guest to host: we read */
	struct vsc_ring out;		/* host to guest: we write */
	uint8_t *rx;			/* bufsize bytes */
	uint32_t bufsize;
	bool blocked;			/* an answer did not fit: wait for room */
	uint32_t need;			/* its ring space */
	bool waiting;			/* pending_send_sz is set */
	bool poll_room;			/* no pending_send_sz: poll for room */
	bool broken;
	uint32_t attack;		/* VSP_H_RING_* to do, or 0 */
	uint64_t answered;		/* answers written, for the attack */
	bool attack_index;		/* lie in an index after this batch */
	bool attacked;			/* lied: the channel moves no data */
	uint64_t gen;			/* the primary's opens count */
	uint64_t stall_until;		/* ns; set by the control plane */
	/* Written by the worker, read by the control plane's status. */
	uint64_t wakeups, irqs, sig_lost, stalls, send_wakeups, ctl_stalls;
	/* Control plane only. */
	uint64_t kicks;
};

/* The channel is broken: a violation, and no more data moves. */
void vsp_worker_corrupt(struct vsp_worker *w, const struct vsc_ring *r);
/* The ring code's signal callback: sets the event flag, raises the VP. */
void vsp_worker_on_signal(struct vsc_ring *ring);

/*
 * Writes one packet of the pieces b[0..n) (descriptor first, filled in)
 * into the guest's inbound ring, inside the worker's write batch or in a
 * batch of its own; len is the packet's length. As vsp_dev_reply().
 */
int vsp_worker_send(struct vsp_worker *w, const struct vsc_ring_buf *b,
		    unsigned int n, uint32_t len);

#endif /* VSP_CHAN_INT_H */
