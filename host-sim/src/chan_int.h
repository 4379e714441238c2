/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between chan.c and chan_xfer.c only: not an API. */
#ifndef VSP_CHAN_INT_H
#define VSP_CHAN_INT_H

#include "chan.h"
#include "ringlib.h"

/*
 * Writes one packet of the pieces b[0..n) (descriptor first, filled in)
 * into the guest's inbound ring, inside the worker's write batch or in a
 * batch of its own; len is the packet's length. As vsp_dev_reply().
 */
int vsp_worker_send(struct vsp_worker *w, const struct vsc_ring_buf *b,
		    unsigned int n, uint32_t len);

/* The channel's relid and its primary's (its own for a primary). */
void vsp_worker_relids(const struct vsp_worker *w, uint32_t *relid,
		       uint32_t *primary);
struct vsp_vmbus *vsp_worker_vmbus(const struct vsp_worker *w);

#endif /* VSP_CHAN_INT_H */
