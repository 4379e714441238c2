// SPDX-License-Identifier: GPL-2.0
/*
 * Messages and event flags to one VP: the bounded FIFO in front of the
 * SINT 2 slot, delivery, the message-pending flag and EOM, and raising
 * the VP's vector. docs/sim-transport.md, "Messages to the guest".
 */
#include <errno.h>
#include <string.h>

#include "host.h"
#include "hostile.h"
#include "vp.h"

void vsp_vp_raise(struct vsp_host *h, unsigned int n)
{
	/* The one place a vector is raised: never one the guest lacks. */
	if (n >= h->nr_vps)
		return;
	if (h->nasty) {
		uint64_t bit = 1ULL << n;

		/* Raised by the next tick, merged with any other before it. */
		if (__atomic_fetch_or(&h->nasty_deferred, bit, __ATOMIC_ACQ_REL) & bit)
			__atomic_fetch_add(&h->nasty_coalesced, 1, __ATOMIC_RELAXED);
		return;
	}
	vsp_vp_raise_now(h, n);
}

void vsp_vp_raise_now(struct vsp_host *h, unsigned int n)
{
	if (n >= h->nr_vps)
		return;
	__atomic_fetch_add(&h->vp[n].st.irqs, 1, __ATOMIC_RELAXED);
	if (h->raise)
		h->raise(h->raise_ctx, n);
}

void *vsp_vp_slot(struct vsp_host *h, unsigned int n)
{
	struct vsp_vp *vp = &h->vp[n];

	if (!vp->simp_on)
		return NULL;
	return vsp_ram_ptr(&h->ram, vp->simp_gpa + VSP_SINT2_SLOT_OFF,
			   VSC_HV_MESSAGE_SIZE);
}

void *vsp_vp_flags(struct vsp_host *h, unsigned int n)
{
	struct vsp_vp *vp = &h->vp[n];

	if (!vp->siefp_on)
		return NULL;
	return vsp_ram_ptr(&h->ram, vp->siefp_gpa + VSP_SINT2_FLAGS_OFF,
			   VSC_HV_EVENT_FLAGS_BYTES);
}

/*
 * Moves the FIFO's head into the slot while the slot is free; when it is
 * busy and messages wait, sets the message-pending flag once per message
 * in the slot. Bounded by the FIFO length: each round delivers one message
 * or stops, except when the guest frees the slot under us, which is
 * bounded separately.
 */
void vsp_vp_pump(struct vsp_host *h, unsigned int n)
{
	struct vsp_vp *vp = &h->vp[n];
	unsigned int rounds = 2 * VSP_VP_FIFO + 2;
	bool delivered = false;
	void *slot;

	if (!vp->len)
		return;
	slot = vsp_vp_slot(h, n);
	if (!slot)
		return;
	while (vp->len && rounds--) {
		if (vsp_slot_try_deliver(slot, &vp->fifo[vp->head])) {
			vp->head = (vp->head + 1) % VSP_VP_FIFO;
			vp->len--;
			vp->flagged = false;
			vp->st.delivered++;
			delivered = true;
			continue;
		}
		if (vp->flagged)
			break;
		/* The guest may have seen the flag, whichever way this goes. */
		vp->pending_credit++;
		if (vsp_slot_mark_pending(slot)) {
			vp->flagged = true;
			break;
		}
	}
	if (delivered)
		vsp_vp_raise(h, n);
}

void vsp_vp_eom(struct vsp_host *h, unsigned int n, uint32_t eom)
{
	struct vsp_vp *vp = &h->vp[n];
	uint32_t d = eom - vp->eom_seen;

	if (!d)
		return;
	vp->eom_seen = eom;
	if (d > vp->pending_credit) {
		vsp_host_violation(h, VSP_V_EOM_UNEXPECTED,
				   "vp %u eom_count %u: %u EOM(s) with no message pending",
				   n, eom, d - vp->pending_credit);
		d = vp->pending_credit;
	}
	vp->pending_credit -= d;
	vp->st.eoms += d;
	h->st.eoms += d;
	vp->flagged = false;
	/* --bug=drop-eom: the EOM releases nothing; the FIFO waits. */
	if (h->bugs & VSP_BUG_DROP_EOM)
		return;
	vsp_vp_pump(h, n);
}

void vsp_vp_reset(struct vsp_vp *vp, uint32_t eom_now)
{
	vp->simp_on = false;
	vp->siefp_on = false;
	vp->eom_seen = eom_now;
	vp->pending_credit = 0;
	vp->flagged = false;
	vp->head = 0;
	vp->len = 0;
}

int vsp_host_send(struct vsp_host *h, unsigned int n, const struct vsp_msg *m)
{
	struct vsp_vp *vp;

	if (n >= h->nr_vps || !m->type || m->size > VSC_HV_MESSAGE_PAYLOAD)
		return -EINVAL;
	vp = &h->vp[n];
	if (vp->len == VSP_VP_FIFO) {
		vp->st.fifo_full++;
		return -EAGAIN;
	}
	vp->fifo[(vp->head + vp->len) % VSP_VP_FIFO] = *m;
	vp->len++;
	vsp_vp_pump(h, n);
	if (vp->len) {
		vp->st.queued++;
		if (vp->len > vp->st.max_queue)
			vp->st.max_queue = vp->len;
	}
	return 0;
}

int vsp_host_signal(struct vsp_host *h, unsigned int n, unsigned int relid)
{
	void *flags;

	if (n >= h->nr_vps || relid >= VSC_HV_EVENT_FLAGS_COUNT)
		return -EINVAL;
	/* The SIEFP cannot change (nor the page be forgotten) under us. */
	pthread_rwlock_rdlock(&h->flags_lock);
	flags = vsp_vp_flags(h, n);
	if (!flags) {
		pthread_rwlock_unlock(&h->flags_lock);
		return -ENOENT;
	}
	vsp_flags_set(flags, relid);
	pthread_rwlock_unlock(&h->flags_lock);
	__atomic_fetch_add(&h->vp[n].st.flags_set, 1, __ATOMIC_RELAXED);
	vsp_vp_raise(h, n);
	return 0;
}
