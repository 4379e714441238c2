/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sim transport's host side: everything vsp-sim does on a doorbell,
 * over a BAR2 buffer and a guest RAM buffer, with the vector-raising
 * callback supplied by the caller. No file descriptors, no I/O: the unit
 * tests and the fuzzers drive it with flat buffers, main.c with the real
 * mappings.
 */
#ifndef VSP_HOST_H
#define VSP_HOST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vsc/sim.h>

#include "gpa.h"
#include "mailbox.h"
#include "stats.h"
#include "synic.h"

#define VSP_VP_FIFO		64	/* messages queued per VP */

/*
 * Doorbells with nothing published that strict mode tolerates: a guest
 * publishing during a scan legitimately rings for work the scan saw.
 */
#define VSP_EMPTY_SLACK_ABS	32
#define VSP_EMPTY_SLACK_DIV	4	/* plus a quarter of all doorbells */

typedef void (*vsp_raise_fn)(void *ctx, unsigned int vp);

struct vsp_vmbus;

struct vsp_vp {
	uint64_t simp_raw, siefp_raw;	/* last values seen */
	uint64_t simp_gpa, siefp_gpa;	/* valid only when *_on */
	bool simp_on, siefp_on;
	uint32_t eom_seen;		/* last eom_count taken */
	uint32_t pending_credit;	/* pending flags set, not yet EOMed */
	bool flagged;			/* we flagged the message in the slot */
	unsigned int head, len;		/* the FIFO */
	struct vsp_msg fifo[VSP_VP_FIFO];
	struct vsp_vp_stats st;
};

struct vsp_host {
	uint8_t *bar2;			/* VSC_SIM_BAR2_SIZE bytes */
	struct vsp_ram ram;
	unsigned int nr_vps;
	bool strict;
	bool strict_failed;
	/*
	 * The "legal but nasty" profile (docs/design.md): raises wait for the next
	 * tick (late, and coalesced per VP), ticks add spurious ones, and
	 * the mailbox is taken a few posts per scan. All legal: a guest that
	 * depends on more is wrong.
	 */
	bool nasty;
	uint64_t nasty_deferred;	/* VPs with a raise waiting (atomic) */
	uint32_t nasty_rng;
	bool tick_took;			/* a nasty tick's scan found work */
	uint64_t nasty_coalesced;	/* raises merged into a later one */
	uint64_t nasty_spurious;	/* raises with nothing new */
	uint64_t nasty_throttled;	/* scans that left posts for later */
	uint32_t ready;			/* last ready generation seen */
	uint32_t cons;			/* private mailbox consumer index */
	uint32_t vmbus_conn;		/* from VERSION_RESPONSE; 0: none */
	struct vsp_vmbus *vmbus;	/* the VMBus server, or NULL */
	uint32_t hostile;		/* VSP_H_* lies to tell (hostile.h) */
	uint32_t hostile_relid;		/* the channel whose rings lie */
	uint32_t bugs;			/* VSP_BUG_* deliberate bugs */
	/*
	 * Channel workers call vsp_host_signal() and vsp_host_violation()
	 * from their own threads: flags_lock guards the SIEFP state they
	 * read (the control plane writes it), vlock the violation counters.
	 */
	pthread_rwlock_t flags_lock;
	pthread_mutex_t vlock;
	bool held;			/* a post waits for FIFO room */
	struct vsp_post held_post;
	uint64_t echo_seq;
	struct vsc_sim_header header;	/* what we wrote; BAR2 is checked */
	vsp_raise_fn raise;
	void *raise_ctx;
	struct vsp_stats st;
	struct vsp_vp vp[VSC_SIM_MAX_VPS];
};

/*
 * Initializes h and writes BAR2's header (the rest of BAR2 zeroed).
 * nr_vps: 1..VSC_SIM_MAX_VPS. Returns 0 or -EINVAL.
 */
int vsp_host_init(struct vsp_host *h, void *bar2, const struct vsp_ram *ram,
		  unsigned int nr_vps, bool strict, vsp_raise_fn raise,
		  void *raise_ctx);

/*
 * One doorbell wake-up: swaps doorbell_pending to 0, then scans the ready
 * generation, every VP's SIMP/SIEFP and eom_count, the signal bitmap and
 * the mailbox. Returns true if it found anything published.
 */
bool vsp_host_doorbell(struct vsp_host *h);

/*
 * Queues a SINT 2 message for vp and delivers it if the slot is free.
 * Returns 0, -EAGAIN when the VP's FIFO is full (retry later) or -EINVAL.
 */
int vsp_host_send(struct vsp_host *h, unsigned int vp,
		  const struct vsp_msg *m);

/*
 * Sets event flag relid of vp's SINT 2 and raises vp's vector. Safe from
 * any thread: an atomic OR into the flags page and an eventfd write.
 */
int vsp_host_signal(struct vsp_host *h, unsigned int vp, unsigned int relid);

/*
 * The nasty profile's clock (main.c calls it every millisecond): raises
 * the deferred vectors, now and then a spurious one, and scans for work as
 * a doorbell would (without a doorbell's accounting).
 */
void vsp_host_nasty_tick(struct vsp_host *h);

/*
 * Records a guest rule violation; see the spec's "Strict mode". Safe from
 * any thread.
 */
void vsp_host_violation(struct vsp_host *h, enum vsp_violation v,
			const char *fmt, ...) __printf(3, 4);

/* A doorbell on one of our vectors other than 0. */
void vsp_host_bad_doorbell(struct vsp_host *h, unsigned int vector);

/* Writes "name value" lines for the control socket. */
void vsp_host_status(const struct vsp_host *h, FILE *out);

/* The echo service (echo.c): handles a valid echo post. */
enum vsp_echo_result {
	VSP_ECHO_DONE,
	VSP_ECHO_RETRY,		/* target FIFO full: hold the post */
	VSP_ECHO_BAD,		/* counted as a violation, dropped */
};

struct vsp_echo_req {
	uint32_t target_vp;
	uint32_t signal_relid;
};

/* Pure: checks an echo post's payload; 0 or -EINVAL. */
int vsp_echo_parse(const struct vsp_post *p, unsigned int nr_vps,
		   struct vsp_echo_req *req);

enum vsp_echo_result vsp_echo_handle(struct vsp_host *h,
				     const struct vsp_post *p);

#endif /* VSP_HOST_H */
