// SPDX-License-Identifier: GPL-2.0
/* The echo class's held answers (echo_hold.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "echo_hold.h"

#define AT(hq, i)	(&(hq)->q[((hq)->head + (i)) % VSP_ECHO_HOLD_MAX])

bool vsp_echo_hold_full(const struct vsp_echo_hold *hq)
{
	return hq->n == VSP_ECHO_HOLD_MAX || hq->bytes >= VSP_ECHO_HOLD_BYTES;
}

static void reverse_open(struct vsp_echo_hold *hq)
{
	uint32_t lo = hq->n - hq->open, hi = hq->n - 1;
	struct vsp_echo_ans t;

	if (hq->open > 1)
		hq->batches++;
	for (; hq->open > 1 && lo < hi; lo++, hi--) {
		t = *AT(hq, lo);
		*AT(hq, lo) = *AT(hq, hi);
		*AT(hq, hi) = t;
	}
	hq->open = 0;
}

int vsp_echo_hold_push(struct vsp_echo_hold *hq, const struct vsp_echo_ans *a,
		       const void *data, uint64_t now, uint32_t reorder,
		       uint32_t hold_us)
{
	struct vsp_echo_ans *e;

	if (vsp_echo_hold_full(hq))
		return -ENOSPC;
	/* Reordering was switched off: the open batch goes as it is. */
	if (reorder <= 1 && hq->open)
		reverse_open(hq);
	e = AT(hq, hq->n);
	*e = *a;
	e->data = NULL;
	if (a->len) {
		e->data = malloc(a->len);
		if (!e->data)
			return -ENOMEM;
		memcpy(e->data, data, a->len);
	}
	e->due_ns = now + (uint64_t)hold_us * 1000;
	hq->n++;
	hq->bytes += a->len;
	if (reorder > 1) {
		if (!hq->open++)
			hq->open_since = now;
		if (hq->open >= reorder)
			reverse_open(hq);
	}
	return 0;
}

void vsp_echo_hold_release(struct vsp_echo_hold *hq, uint64_t now,
			   uint32_t reorder)
{
	if (hq->open && (hq->open >= reorder ||
			 now - hq->open_since >= VSP_ECHO_BATCH_NS))
		reverse_open(hq);
}

const struct vsp_echo_ans *vsp_echo_hold_peek(const struct vsp_echo_hold *hq,
					      uint64_t now)
{
	const struct vsp_echo_ans *e;

	if (hq->n == hq->open)
		return NULL;
	e = AT(hq, 0);
	return e->due_ns <= now ? e : NULL;
}

void vsp_echo_hold_pop(struct vsp_echo_hold *hq)
{
	struct vsp_echo_ans *e;

	if (hq->n == hq->open)
		return;
	e = AT(hq, 0);
	hq->bytes -= e->len;
	free(e->data);
	e->data = NULL;
	hq->head = (hq->head + 1) % VSP_ECHO_HOLD_MAX;
	hq->n--;
}

uint64_t vsp_echo_hold_next(const struct vsp_echo_hold *hq)
{
	uint64_t t = 0;

	if (hq->n > hq->open)
		t = AT(hq, 0)->due_ns;
	if (hq->open && (!t || hq->open_since + VSP_ECHO_BATCH_NS < t))
		t = hq->open_since + VSP_ECHO_BATCH_NS;
	return t;
}

void vsp_echo_hold_clear(struct vsp_echo_hold *hq)
{
	hq->open = 0;
	while (hq->n)
		vsp_echo_hold_pop(hq);
	hq->head = 0;
	hq->bytes = 0;
}
