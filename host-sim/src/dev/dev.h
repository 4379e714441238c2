/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device classes: what a VMBus device does with its channels' packets.
 *
 * The VMBus server and the channel worker (chan.c) know no device
 * protocol. A class is a struct vsp_dev_class of callbacks in a file of
 * its own in this folder, listed once in classes.c; the worker moves
 * packets and calls it, on the worker's own thread, one channel at a
 * time. Adding a class: a new file here, one line in the table.
 *
 * Answers may come later and out of order. A class that holds a request
 * (a disk read through io_uring, a timer) exposes a file descriptor in
 * dc->fd: the worker polls it together with the channel's doorbell and
 * calls complete() when it is readable, while it keeps reading the ring.
 * Answers go out only from packet() and complete(), through
 * vsp_dev_reply() or vsp_chan_send_xfer(); when the guest's inbound ring
 * is full those return -ENOSPC: the class keeps the answer, the worker
 * stops reading, waits for room (pending_send_sz and the guest's signal)
 * and then calls complete() to let the class retry.
 */
#ifndef VSP_DEV_H
#define VSP_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vsc/types.h>
#include <vsc/ring.h>

#include "host.h"

struct vsc_ring_pkt;
struct vsp_worker;

/* Class ids that other code names; every other class is found by name. */
enum {
	VSP_CLASS_ECHO,		/* classes.c: table position */
	VSP_CLASS_NULL,		/* a class no driver takes (hostile offers) */
};

#define VSP_DEV_MAX_CLASSES	16
#define VSP_DEV_CFG_BYTES	128	/* a class's settings, per server */

/* A channel as its class sees it. */
struct vsp_dev_chan {
	void *cfg;		/* the class's settings (ctl may change them) */
	void *priv;		/* the class's state of this channel */
	int fd;			/* completion source, polled; -1: none */
	bool busy;		/* the class takes no packet now */
	uint32_t relid;
	bool primary;		/* not a sub-channel */
	struct vsp_host *h;
	/* Counters a class adds to; the worker prints them. */
	uint64_t refused;	/* answered without payload, or dropped */
	uint64_t bad;		/* packets that broke the class's rules */
	struct vsp_worker *w;	/* the worker's own */
};

struct vsp_dev_class {
	const char *name;
	struct vsc_guid guid;
	/* Settings: VSP_DEV_CFG_BYTES at most, set to defaults once. */
	void (*cfg_init)(void *cfg);
	/*
	 * `vsp-sim ctl PATH class NAME ARGS`: changes settings (relaxed
	 * atomic stores: workers read them). Prints "ok ..." or "error ...".
	 */
	void (*ctl)(void *cfg, const char *args, FILE *out);
	/* A channel opened: set dc->priv and dc->fd. 0 or -errno. */
	int (*open)(struct vsp_dev_chan *dc);
	/* One parsed packet; its bytes are the worker's copy, valid now. */
	void (*packet)(struct vsp_dev_chan *dc, struct vsc_ring_pkt *pkt);
	/* dc->fd readable, room came back, or a wake-up: answer what's ready. */
	void (*complete)(struct vsp_dev_chan *dc);
	/* The channel closes: drop what is held, free dc->priv, close dc->fd. */
	void (*close)(struct vsp_dev_chan *dc);
	/* The class's counters of a channel: " name value" pairs. */
	void (*print)(const struct vsp_dev_chan *dc, FILE *out);
};

/* classes.c: the table, indexed by class id. */
extern const struct vsp_dev_class *const vsp_dev_classes[];
extern const unsigned int vsp_dev_nclasses;

/* A class's id by name, or -1. */
int vsp_dev_find(const char *name);
const struct vsp_dev_class *vsp_dev_class(unsigned int cls);

/*
 * What the worker offers a class, from packet() and complete() only.
 *
 * vsp_dev_reply(): writes one packet into the guest's inbound ring.
 * 0: written, or too large for the ring ever (counted as refused);
 * -ENOSPC: no room now: keep it, complete() comes when there is;
 * -EIO: the channel is broken: drop everything.
 */
int vsp_dev_reply(struct vsp_dev_chan *dc, uint16_t type, uint64_t trans_id,
		  const void *data, uint32_t len);

/*
 * A transfer-page packet (type 7, netvsc's receive path) against the
 * guest's GPADL gpadl, created on this channel or on its primary (the
 * receive buffer sub-channels share): ranges[0..n) are
 * (byte_count, byte_offset) into the GPADL's buffer, payload follows.
 * -ENOENT: no complete GPADL of that id on this channel; -ERANGE: a range
 * is empty or outside the GPADL; -EINVAL: no range, or too many; else as
 * vsp_dev_reply().
 */
int vsp_chan_send_xfer(struct vsp_dev_chan *dc, uint32_t gpadl,
		       uint16_t pageset_id,
		       const struct vsc_xfer_page_range *ranges, uint32_t n,
		       uint16_t flags, uint64_t trans_id, const void *payload,
		       uint32_t len);

/* Asks the control plane to offer n sub-channels of this primary. */
void vsp_dev_subchannels(struct vsp_dev_chan *dc, uint32_t n);

/* Sleeps usec, or less if the channel is stopping. */
void vsp_dev_nap(struct vsp_dev_chan *dc, uint32_t usec);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vsp_dev_now_ns(void);

/* Parses "WORD N" with N in [0, max]: 0, else -EINVAL. */
int vsp_dev_parse_knob(const char *args, const char *word, uint32_t max,
		       uint32_t *v);

#endif /* VSP_DEV_H */
