/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test guest's VMBus side (with guest.c, one fixture for the unit
 * tests, the end-to-end test and the fuzzers): channel messages to and
 * from the host, GPADLs split into header and body messages as a guest
 * splits them, and the guest's ends of a channel's two rings, over the
 * shared ring code.
 */
#ifndef VSP_TEST_GUEST_VMBUS_H
#define VSP_TEST_GUEST_VMBUS_H

#include <stdbool.h>
#include <stdint.h>

#include <vsc/vmbus.h>

#include "guest.h"
#include "ringlib.h"

/* Posts a VMBus message (message type 1) to conn: an HV status. */
int vg_vmbus_send(struct vg *g, uint32_t conn, const void *msg, uint32_t len);

/*
 * Takes the next message in vp's SINT 2 slot, if it is a VMBus message:
 * copies its payload to buf (240 bytes), returns its msgtype; 0 if none.
 */
uint32_t vg_vmbus_recv(struct vg *g, unsigned int vp, void *buf,
		       uint32_t *len);

/* INITIATE_CONTACT for version on the connection id it calls for. */
int vg_contact(struct vg *g, uint32_t version, uint32_t target_vp);

/*
 * A GPADL of n pages as the guest driver sends it: one range from offset
 * 0, as many PFNs as fit in the header, the rest in numbered bodies.
 * Returns the number of messages posted, or -1 if a post failed.
 */
int vg_gpadl(struct vg *g, uint32_t conn, uint32_t relid, uint32_t handle,
	     const uint64_t *pfns, uint32_t n);

int vg_open(struct vg *g, uint32_t conn, uint32_t relid, uint32_t gpadl,
	    uint32_t target_vp, uint32_t down_pages);
int vg_relid_msg(struct vg *g, uint32_t conn, uint32_t type, uint32_t relid);
int vg_gpadl_teardown(struct vg *g, uint32_t conn, uint32_t relid,
		      uint32_t handle);

/* The guest's ends of a channel's rings, laid out at gpa in RAM. */
struct vg_chan {
	uint64_t gpa;
	uint32_t pages;			/* the whole GPADL */
	uint32_t down;			/* page offset of the inbound ring */
	struct vsc_ring out, in;	/* guest writes out, reads in */
	unsigned int signals;		/* signals the ring rules called for */
};

/*
 * Formats both control pages (pending_send_sz announced) and attaches the
 * guest ends: out_pages and in_pages data pages. pfns[] (room for
 * 2 + out_pages + in_pages) receives the page list.
 */
void vg_chan_setup(struct vg *g, struct vg_chan *c, uint64_t gpa,
		   uint32_t out_pages, uint32_t in_pages, uint64_t *pfns);

#endif /* VSP_TEST_GUEST_VMBUS_H */
