/* SPDX-License-Identifier: GPL-2.0 */
/* Counters that the control socket reports, and the violation kinds. */
#ifndef VSP_STATS_H
#define VSP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include <vsc/sim.h>

#include "log.h"

/* Guest rule violations vsp-sim can see at the transport layer. */
#define VSP_VIOLATIONS(X)						\
	X(EOM_UNEXPECTED, "eom_unexpected")	/* EOM, nothing pending */ \
	X(SIMP_BAD, "simp_bad")			/* unaligned or not RAM */ \
	X(SIEFP_BAD, "siefp_bad")					\
	X(MAILBOX_OVERRUN, "mailbox_overrun")	/* prod - cons > slots */ \
	X(POST_SIZE, "post_size")					\
	X(POST_CONN, "post_connection_id")				\
	X(POST_TYPE, "post_message_type")				\
	X(ECHO_BAD, "echo_bad")			/* bad echo payload */	\
	X(DOORBELL_EMPTY, "doorbell_empty")	/* beyond the slack */	\
	X(DOORBELL_VECTOR, "doorbell_vector")	/* not vector 0 */	\
	X(GUEST_VERSION, "guest_version")				\
	X(GUEST_NR_VPS, "guest_nr_vps")					\
	X(CONS_WRITTEN, "mailbox_cons_written")	/* guest wrote cons */	\
	X(HEADER_WRITTEN, "header_written")	/* guest wrote header */ \
	X(VMBUS_MSG, "vmbus_message")		/* bad size or type */	\
	X(VMBUS_STATE, "vmbus_state")		/* out of order */	\
	X(VMBUS_RELID, "vmbus_relid")		/* no such channel */	\
	X(GPADL_BAD, "gpadl_bad")		/* bad GPADL message */	\
	X(OPEN_BAD, "open_bad")			/* bad OPENCHANNEL */	\
	X(RING_CORRUPT, "ring_corrupt")		/* guest broke a ring */ \
	X(PACKET_BAD, "packet_bad")		/* packet the class refuses */ \
	X(ECHO_PATTERN, "echo_pattern")		/* echo payload wrong */

#define VSP_V_ENUM(e, n) VSP_V_##e,
enum vsp_violation {
	VSP_VIOLATIONS(VSP_V_ENUM)
	VSP_V_COUNT
};
#undef VSP_V_ENUM

const char *vsp_violation_name(enum vsp_violation v);

struct vsp_vp_stats {
	uint64_t irqs;		/* vector raised */
	uint64_t delivered;	/* messages written into the slot */
	uint64_t queued;	/* messages that had to wait */
	uint64_t max_queue;	/* deepest the FIFO got */
	uint64_t eoms;
	uint64_t flags_set;	/* event flags set */
	uint64_t fifo_full;	/* sends refused: FIFO full */
};

struct vsp_stats {
	uint64_t doorbells;		/* wake-ups on the doorbell */
	uint64_t doorbell_rings;	/* sum of the eventfd counts */
	uint64_t doorbells_empty;	/* wake-ups that found nothing */
	uint64_t posts;			/* mailbox slots taken */
	uint64_t posts_vmbus;		/* valid VMBus posts */
	uint64_t signals_unrouted;	/* signals for no open channel */
	uint64_t signals;
	uint64_t signals_by_conn[VSC_SIM_CONN_IDS];
	uint64_t eoms;
	uint64_t echo_replies;
	uint64_t echo_stalls;		/* echo held: target FIFO full */
	uint64_t resets;		/* ready generation changes */
	uint64_t dropped_on_reset;	/* queued messages dropped */
	uint64_t violations;
	uint64_t violation[VSP_V_COUNT];
	struct vsp_ratelimit rl[VSP_V_COUNT];
};

#endif /* VSP_STATS_H */
