// SPDX-License-Identifier: GPL-2.0
/*
 * Sub-channels of the echo device (include/vsc/echo.h, CTRL SUBCHANNELS).
 * A channel worker that took a request never touches the server's state:
 * it queues a struct vsp_subreq under req_lock and calls ops->notify (in
 * vsp-sim an eventfd that wakes the control plane's epoll loop), which
 * then calls vsp_vmbus_subreqs(). Each granted sub-channel becomes a
 * pending offer, made at once or, in the nasty profile, 2 to 40 ms late
 * (one tick a millisecond); an offer whose primary was closed, reopened
 * or rescinded meanwhile is dropped. A sub-channel is a channel of its
 * own (relid, connection id, GPADL, open, worker); it carries its
 * primary's class and instance and sub_channel_index 1..n. The primary's
 * close or rescind rescinds it; a reset forgets it.
 */
#include <errno.h>
#include <string.h>

#include "vmbus.h"
#include "vmbus_int.h"

int vsp_vmbus_subreq(struct vsp_vmbus *vm, uint32_t relid, uint64_t gen,
		     uint32_t n)
{
	int ret = -EAGAIN;

	pthread_mutex_lock(&vm->req_lock);
	if (vm->nreq < VSP_SUBREQS) {
		vm->req[vm->nreq].relid = relid;
		vm->req[vm->nreq].gen = gen;
		vm->req[vm->nreq].n = n;
		vm->nreq++;
		ret = 0;
	}
	pthread_mutex_unlock(&vm->req_lock);
	if (!ret && vm->ops && vm->ops->notify)
		vm->ops->notify(vm->ops_ctx);
	return ret;
}

unsigned int vsp_vmbus_subs(const struct vsp_vmbus *vm, uint32_t primary)
{
	unsigned int r, n = 0;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++)
		if (vm->ch[r].sub_index && vm->ch[r].primary == primary &&
		    (vm->ch[r].state == VSP_CH_OFFERED ||
		     vm->ch[r].state == VSP_CH_OPEN))
			n++;
	return n;
}

/* True if primary is open as it was when the request was made. */
static bool primary_current(const struct vsp_vmbus *vm, uint32_t primary,
			    uint64_t gen)
{
	const struct vsp_chan *p;

	if (!primary || primary > VSP_MAX_CHANNELS)
		return false;
	p = &vm->ch[primary];
	return p->state == VSP_CH_OPEN && !p->sub_index && p->opens == gen &&
	       p->offered;
}

static uint32_t rnd(struct vsp_vmbus *vm)
{
	vm->rng ^= vm->rng << 13;
	vm->rng ^= vm->rng >> 17;
	vm->rng ^= vm->rng << 5;
	return vm->rng;
}

void vsp_vmbus_subreqs(struct vsp_vmbus *vm)
{
	struct vsp_subreq req[VSP_SUBREQS];
	unsigned int i, j, n;

	pthread_mutex_lock(&vm->req_lock);
	n = vm->nreq;
	memcpy(req, vm->req, n * sizeof(req[0]));
	vm->nreq = 0;
	pthread_mutex_unlock(&vm->req_lock);

	for (i = 0; i < n; i++) {
		vm->st.sub_requests++;
		if (!primary_current(vm, req[i].relid, req[i].gen) ||
		    req[i].n > VSC_ECHO_MAX_SUBCHANNELS) {
			vsp_log("vmbus: sub-channels of relid %u: primary closed meanwhile, dropped",
				req[i].relid);
			vm->st.sub_dropped += req[i].n;
			continue;
		}
		for (j = 0; j < req[i].n; j++) {
			struct vsp_subpend *p;

			if (vm->npend == VSP_SUBPEND) {
				vm->st.sub_dropped++;
				continue;
			}
			p = &vm->pend[vm->npend++];
			p->primary = req[i].relid;
			p->gen = req[i].gen;
			p->index = j + 1;
			p->due = vm->h->nasty ?
				 vm->ticks + 2 + rnd(vm) % 39 : 0;
		}
	}
	vsp_vm_subs_offer(vm);
}

void vsp_vmbus_tick(struct vsp_vmbus *vm)
{
	vm->ticks++;
	if (vm->npend)
		vsp_vm_subs_offer(vm);
}

static bool offer_one(struct vsp_vmbus *vm, const struct vsp_subpend *p)
{
	const struct vsp_chan *prim = &vm->ch[p->primary];
	struct vsp_chan *c;

	if (!primary_current(vm, p->primary, p->gen)) {
		vm->st.sub_dropped++;
		return true;
	}
	c = vsp_vm_chan_alloc(vm);
	if (!c) {
		vsp_log("vmbus: no relid left for sub-channel %u of relid %u",
			p->index, p->primary);
		vm->st.sub_dropped++;
		return true;
	}
	c->cls = prim->cls;
	c->instance = prim->instance;
	c->sub_index = p->index;
	c->primary = p->primary;
	c->state = VSP_CH_OFFERED;
	vsp_vm_send_offer(vm, c);
	vm->st.sub_offers++;
	vsp_log("vmbus: relid %u offered: sub-channel %u of relid %u",
		c->relid, c->sub_index, c->primary);
	return true;
}

void vsp_vm_subs_offer(struct vsp_vmbus *vm)
{
	unsigned int i = 0;

	while (i < vm->npend) {
		if (vm->pend[i].due > vm->ticks || !vsp_vm_room(vm) ||
		    !vm->offers_requested) {
			i++;
			continue;
		}
		offer_one(vm, &vm->pend[i]);
		memmove(&vm->pend[i], &vm->pend[i + 1],
			(vm->npend - i - 1) * sizeof(vm->pend[0]));
		vm->npend--;
	}
}

void vsp_vm_subs_rescind(struct vsp_vmbus *vm, uint32_t primary)
{
	unsigned int r;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm->ch[r];

		if (!c->sub_index || c->primary != primary ||
		    (c->state != VSP_CH_OFFERED && c->state != VSP_CH_OPEN))
			continue;
		vsp_vm_chan_stop(vm, c);
		if (!c->offered) {
			memset(c, 0, sizeof(*c));
			continue;
		}
		c->state = VSP_CH_RESCINDED;
		vsp_vm_send_relid(vm, VSC_VMBUS_MSG_RESCIND_CHANNELOFFER, r);
		vm->st.sub_rescinds++;
	}
}

void vsp_vm_subs_forget(struct vsp_vmbus *vm)
{
	unsigned int r;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm->ch[r];

		if (!c->sub_index)
			continue;
		vsp_vm_chan_stop(vm, c);
		memset(c, 0, sizeof(*c));
	}
	vm->npend = 0;
	pthread_mutex_lock(&vm->req_lock);
	vm->nreq = 0;
	pthread_mutex_unlock(&vm->req_lock);
}
