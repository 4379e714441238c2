/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A channel's data path: one worker thread per open channel, woken by an
 * eventfd that the control plane writes when the guest signals the
 * channel's connection id, or by its device class's completion source
 * (dev/dev.h). The worker reads the guest-to-host ring (the host is its
 * reader), hands each packet to the device class, writes the class's
 * answers into the host-to-guest ring (the host is its writer) and sets
 * the channel's event flag only when the ring rules call for a signal:
 * as writer, when the ring went from empty to non-empty; as reader, when
 * its reads made the room the guest asked for in pending_send_sz. When
 * the guest's ring is full it waits (pending_send_sz and the guest's
 * signal) instead of dropping anything.
 */
#ifndef VSP_CHAN_H
#define VSP_CHAN_H

#include <stdio.h>

#include "vmbus.h"

/* The environment of main.c: real mappings of the RAM file, threads. */
struct vsp_chan_env {
	int ram_fd;
	int req_fd;	/* eventfd: a worker queued a request (or -1) */
};

extern const struct vsp_vmbus_ops vsp_chan_ops;	/* ctx: vsp_chan_env */

/* Maps RAM file pages at offs[0..n) contiguously (ringmap.c). */
int vsp_ringmap(int fd, const uint64_t *offs, uint32_t n, void **base);
void vsp_ringunmap(void *base, uint32_t n);

/* Starts and stops a worker on c->map (also usable with other maps). */
int vsp_worker_start(struct vsp_vmbus *vm, struct vsp_chan *c);
void vsp_worker_stop(struct vsp_chan *c);
void vsp_worker_kick(struct vsp_chan *c);

/*
 * `ctl stall RELID MSEC`: the worker leaves the guest-to-host ring alone
 * for ms milliseconds from now (0: stops a stall), answering still.
 */
void vsp_worker_stall(struct vsp_chan *c, uint32_t ms);

/* The channel as its class sees it (tests), or NULL when not attached. */
struct vsp_dev_chan *vsp_worker_dev(struct vsp_chan *c);

/* The same data path without a thread (the fuzzers): attach, service... */
int vsp_worker_attach(struct vsp_vmbus *vm, struct vsp_chan *c);
void vsp_worker_service(struct vsp_chan *c);
void vsp_worker_detach(struct vsp_chan *c);

/* Counters of a channel's worker, " name value" pairs on one line. */
void vsp_worker_print(const struct vsp_worker *w, FILE *out);

#endif /* VSP_CHAN_H */
