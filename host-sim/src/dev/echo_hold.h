/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo class's held answers: a FIFO that releases answers late
 * (hold: each becomes due a fixed time after it came) and out of order
 * (reorder N: answers are released in batches of N, each batch reversed;
 * a batch still short of N after VSP_ECHO_BATCH_NS goes out as it is).
 * Pure: the caller passes the time, sends what vsp_echo_hold_peek() gives
 * and arms a timer for vsp_echo_hold_next().
 */
#ifndef VSP_ECHO_HOLD_H
#define VSP_ECHO_HOLD_H

#include <stdbool.h>
#include <stdint.h>

#define VSP_ECHO_HOLD_MAX	4096		/* answers held per channel */
#define VSP_ECHO_HOLD_BYTES	(16U << 20)	/* their payload bytes */
#define VSP_ECHO_BATCH_NS	1000000ULL	/* a short batch waits 1 ms */

struct vsp_echo_ans {
	uint64_t trans_id;
	uint64_t due_ns;	/* not before */
	uint8_t *data;		/* an exact copy, or NULL when len is 0 */
	uint32_t len;
	uint32_t grant;		/* sub-channels to ask for once it is out */
	uint16_t type;
};

struct vsp_echo_hold {
	struct vsp_echo_ans q[VSP_ECHO_HOLD_MAX];
	uint32_t head, n;
	uint32_t open;		/* the newest `open` are an unreleased batch */
	uint64_t open_since;	/* when the batch's first came */
	uint64_t bytes;
	uint64_t batches;	/* batches released reversed */
};

/* No room for another answer (or its bytes): take no more packets. */
bool vsp_echo_hold_full(const struct vsp_echo_hold *hq);

/*
 * Appends an answer (copying data) that came at now: due at now + hold,
 * part of the open batch when reorder > 1. 0, -ENOSPC or -ENOMEM.
 */
int vsp_echo_hold_push(struct vsp_echo_hold *hq, const struct vsp_echo_ans *a,
		       const void *data, uint64_t now, uint32_t reorder,
		       uint32_t hold_us);

/* Releases the open batch, reversed, if it is full or waited long enough. */
void vsp_echo_hold_release(struct vsp_echo_hold *hq, uint64_t now,
			   uint32_t reorder);

/* The oldest answer if released and due at now, else NULL. */
const struct vsp_echo_ans *vsp_echo_hold_peek(const struct vsp_echo_hold *hq,
					      uint64_t now);

/* Drops the oldest answer (it was sent). */
void vsp_echo_hold_pop(struct vsp_echo_hold *hq);

/* When something may next become ready (ns), or 0 when nothing is held. */
uint64_t vsp_echo_hold_next(const struct vsp_echo_hold *hq);

/* Drops everything. */
void vsp_echo_hold_clear(struct vsp_echo_hold *hq);

#endif /* VSP_ECHO_HOLD_H */
