/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test guest: the guest side of the sim transport over a BAR2 buffer and
 * a RAM buffer, written from docs/sim-transport.md. One fixture serves the
 * unit tests (flat buffers, the host driven by hand), the end-to-end test
 * (BAR2 and RAM shared with a running vsp-sim) and the fuzzers.
 */
#ifndef VSP_TEST_GUEST_H
#define VSP_TEST_GUEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <vsc/sim.h>

struct vg {
	uint8_t *bar2;
	uint8_t *ram;			/* GPA 0 is offset 0 (low RAM only) */
	uint64_t ram_size;
	unsigned int nr_vps;
	uint32_t prod;			/* the guest's own mailbox producer */
	uint32_t generation;
	pthread_mutex_t post_lock;	/* the guest serializes its CPUs */
	void (*ring)(void *ctx);	/* the doorbell write */
	void *ring_ctx;
	uint64_t rings;			/* doorbells written */
	uint64_t posts_full;		/* INSUFFICIENT_BUFFERS returned */
	uint64_t eoms[VSC_SIM_MAX_VPS];
	uint64_t simp[VSC_SIM_MAX_VPS];	/* GPAs registered */
	uint64_t siefp[VSC_SIM_MAX_VPS];
};

void vg_init(struct vg *g, void *bar2, void *ram, uint64_t ram_size,
	     unsigned int nr_vps, void (*ring)(void *ctx), void *ring_ctx);

/* Publishes, then rings only if the host is not already awake. */
void vg_wake(struct vg *g);

/* Writes vp's SIMP and SIEFP (page GPAs; enable bit added). No wake. */
void vg_register(struct vg *g, unsigned int vp, uint64_t simp_gpa,
		 uint64_t siefp_gpa);

/* Registers a message and a flags page per VP at base, base + 4 KiB... */
void vg_register_all(struct vg *g, uint64_t base);

/* guest.version, nr_vps, ready = gen; wakes the host. */
void vg_ready(struct vg *g, uint32_t gen);

/* post_message: returns an HV status; wakes the host on success. */
int vg_post(struct vg *g, uint32_t conn, uint32_t type, const void *payload,
	    uint32_t size);

/* An echo post (connection and type of the echo service). */
int vg_post_echo(struct vg *g, uint32_t target_vp, uint32_t relid,
		 uint64_t cookie);

/* signal_event: returns an HV status. */
int vg_signal(struct vg *g, uint32_t conn);

/*
 * Takes the message in vp's SINT 2 slot, if any: copies it to *out, frees
 * the slot, and if message-pending was set, EOMs and wakes the host.
 */
bool vg_take(struct vg *g, unsigned int vp, struct vsc_hv_message *out);

/* Takes vp's SINT 2 event flag bits; returns how many were set. */
unsigned int vg_take_flags(struct vg *g, unsigned int vp, uint64_t *word0);

/* Pointer to guest RAM at gpa (the fixture's RAM is low RAM only). */
void *vg_gpa(struct vg *g, uint64_t gpa);

#endif /* VSP_TEST_GUEST_H */
