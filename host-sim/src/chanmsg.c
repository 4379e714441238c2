// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server's channel messages after the connection is made:
 * GPADL_HEADER/BODY (assembly in gpadl.c), GPADL_TEARDOWN, OPENCHANNEL,
 * CLOSECHANNEL, RELID_RELEASED, MODIFYCHANNEL. vmbus.c has checked each
 * message's type, size, connection state and connection id; everything a
 * message names (relid, GPADL, offsets, VP) is checked here before use.
 */
#include <errno.h>
#include <string.h>

#include "vmbus.h"
#include "vmbus_int.h"

void vsp_vm_on_gpadl(struct vsp_vmbus *vm, const struct vsp_post *p,
		     bool body)
{
	struct vsc_vmbus_gpadl_created r;
	uint32_t relid = 0, handle = 0;
	const char *why = "?";
	enum vsp_gpadl_res res;

	res = body ? vsp_gpadl_body(vm, p->payload, p->size, &relid, &handle,
				    &why) :
		     vsp_gpadl_header(vm, p->payload, p->size, &relid, &handle,
				      &why);
	if (res == VSP_GPADL_MORE)
		return;
	if (res != VSP_GPADL_DONE) {
		vm->st.gpadls_failed++;
		V(vm->h, GPADL_BAD, "%s %#x of relid %u: %s",
		  body ? "GPADL_BODY" : "GPADL_HEADER", handle, relid, why);
		if (res == VSP_GPADL_DROP)
			return;
	} else {
		vm->st.gpadls_created++;
	}
	memset(&r, 0, sizeof(r));
	vsp_vm_hdr(&r, VSC_VMBUS_MSG_GPADL_CREATED);
	r.child_relid = cpu_to_le32(relid);
	r.gpadl = cpu_to_le32(handle);
	r.creation_status = cpu_to_le32(res == VSP_GPADL_DONE ? 0 :
					VSP_STATUS_INVALID_PARAMETER);
	vsp_vm_send(vm, &r, sizeof(r));
}

void vsp_vm_on_gpadl_teardown(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_gpadl_teardown m;
	struct vsp_gpadl *g;
	struct vsp_chan *c;
	uint32_t relid, handle;

	memcpy(&m, p->payload, sizeof(m));
	relid = le32_to_cpu(m.child_relid);
	handle = le32_to_cpu(m.gpadl);
	g = vsp_gpadl_find(vm, handle);
	if (!g || g->relid != relid) {
		V(vm->h, GPADL_BAD, "GPADL_TEARDOWN of %#x, relid %u: no such GPADL",
		  handle, relid);
		return;
	}
	c = &vm->ch[relid];
	if (c->state == VSP_CH_OPEN && c->gpadl == handle) {
		V(vm->h, GPADL_BAD, "GPADL_TEARDOWN of %#x while relid %u is open on it: deferred to its close",
		  handle, relid);
		g->teardown_pending = true;
		return;
	}
	vsp_gpadl_free(g);
	vsp_vm_send_torndown(vm, handle);
}

/* The channel named by a relid message, or NULL (a violation). */
static struct vsp_chan *chan_of(struct vsp_vmbus *vm, uint32_t relid,
				const char *what)
{
	if (relid && relid <= VSP_MAX_CHANNELS &&
	    vm->ch[relid].state != VSP_CH_FREE && vm->ch[relid].offered)
		return &vm->ch[relid];
	V(vm->h, VMBUS_RELID, "%s for relid %u: no such channel offered",
	  what, relid);
	return NULL;
}

static uint32_t open_check(struct vsp_vmbus *vm, struct vsp_chan *c,
			   const struct vsc_vmbus_open_channel *m,
			   struct vsp_gpadl **gp)
{
	uint32_t handle = le32_to_cpu(m->ringbuffer_gpadl);
	uint32_t down = le32_to_cpu(m->downstream_ring_pageoffset);
	uint32_t vp = le32_to_cpu(m->target_vp);
	struct vsp_gpadl *g = vsp_gpadl_find(vm, handle);
	const char *why = NULL;

	if (c->state != VSP_CH_OFFERED)
		why = "channel not closed";
	else if (!g || !g->complete || g->relid != c->relid)
		why = "ring GPADL is not a GPADL created on this channel";
	else if (!g->ring_ok)
		why = "ring GPADL is not one range of whole pages";
	else if (g->teardown_pending)
		why = "ring GPADL is being torn down";
	else if (down < 2 || down > g->npages - 2)
		why = "downstream ring offset leaves a ring without data pages";
	else if (vp >= vm->h->nr_vps)
		why = "target_vp out of range";
	if (why) {
		V(vm->h, OPEN_BAD, "OPENCHANNEL relid %u gpadl %#x offset %u vp %u: %s",
		  c->relid, handle, down, vp, why);
		return VSP_STATUS_INVALID_PARAMETER;
	}
	*gp = g;
	return 0;
}

void vsp_vm_on_open(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_open_channel m;
	struct vsc_vmbus_open_result r;
	struct vsp_gpadl *g = NULL;
	struct vsp_chan *c;
	uint32_t status;
	int ret = -ENODEV;	/* no environment to map with */

	memcpy(&m, p->payload, sizeof(m));
	c = chan_of(vm, le32_to_cpu(m.child_relid), "OPENCHANNEL");
	if (!c)
		return;
	if (c->state == VSP_CH_RESCINDED)
		return;		/* the guest may not have seen the rescind */
	status = open_check(vm, c, &m, &g);
	if (!status) {
		c->target_vp = le32_to_cpu(m.target_vp);
		c->openid = le32_to_cpu(m.openid);
		c->gpadl = g->handle;
		c->down_pages = le32_to_cpu(m.downstream_ring_pageoffset);
		c->map_pages = g->npages;
		if (vm->ops && vm->ops->map)
			ret = vm->ops->map(vm->ops_ctx, g->offs, g->npages,
					   &c->map);
		if (!ret && vm->ops && vm->ops->start)
			ret = vm->ops->start(vm->ops_ctx, vm, c);
		if (ret) {
			vsp_log("vmbus: relid %u: cannot open: %s", c->relid,
				strerror(-ret));
			if (c->map && vm->ops->unmap)
				vm->ops->unmap(vm->ops_ctx, c->map,
					       c->map_pages);
			c->map = NULL;
			status = VSP_STATUS_NO_MEMORY;
		} else {
			c->state = VSP_CH_OPEN;
			c->opens++;
		}
	}
	if (status)
		vm->st.opens_failed++;
	memset(&r, 0, sizeof(r));
	vsp_vm_hdr(&r, VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	r.child_relid = cpu_to_le32(c->relid);
	r.openid = m.openid;
	r.status = cpu_to_le32(status);
	vsp_vm_send(vm, &r, sizeof(r));
}

void vsp_vm_on_close(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_relid_msg m;
	struct vsp_gpadl *g;
	struct vsp_chan *c;

	memcpy(&m, p->payload, sizeof(m));
	c = chan_of(vm, le32_to_cpu(m.child_relid), "CLOSECHANNEL");
	if (!c || c->state == VSP_CH_RESCINDED)
		return;
	if (c->state != VSP_CH_OPEN) {
		V(vm->h, VMBUS_STATE, "CLOSECHANNEL of relid %u, not open",
		  c->relid);
		return;
	}
	vsp_vm_chan_stop(vm, c);
	g = vsp_gpadl_find(vm, c->gpadl);
	if (g && g->teardown_pending) {
		vsp_gpadl_free(g);
		vsp_vm_send_torndown(vm, c->gpadl);
	}
	/* An echo device's sub-channels last as long as its primary's open. */
	if (!c->sub_index)
		vsp_vm_subs_rescind(vm, c->relid);
}

void vsp_vm_on_relid_released(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_relid_msg m;
	struct vsp_chan *c;

	memcpy(&m, p->payload, sizeof(m));
	c = chan_of(vm, le32_to_cpu(m.child_relid), "RELID_RELEASED");
	if (!c)
		return;
	if (c->state != VSP_CH_RESCINDED) {
		V(vm->h, VMBUS_STATE, "RELID_RELEASED of relid %u, not rescinded",
		  c->relid);
		return;
	}
	/* Its GPADLs went with it, as on Hyper-V. */
	vsp_vm_free_gpadls(vm, c->relid);
	memset(c, 0, sizeof(*c));
	vsp_log("vmbus: relid %u released", le32_to_cpu(m.child_relid));
}

void vsp_vm_on_modify(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_modifychannel m;
	struct vsc_vmbus_modifychannel_response r;
	struct vsp_chan *c;
	uint32_t vp, status = 0;

	memcpy(&m, p->payload, sizeof(m));
	c = chan_of(vm, le32_to_cpu(m.child_relid), "MODIFYCHANNEL");
	if (!c || c->state == VSP_CH_RESCINDED)
		return;
	vp = le32_to_cpu(m.target_vp);
	if (c->state != VSP_CH_OPEN || vp >= vm->h->nr_vps) {
		V(vm->h, VMBUS_STATE, "MODIFYCHANNEL relid %u to vp %u: not open or no such VP",
		  c->relid, vp);
		status = VSP_STATUS_INVALID_PARAMETER;
	} else {
		/* The worker reads it for each signal. */
		__atomic_store_n(&c->target_vp, vp, __ATOMIC_RELEASE);
	}
	if (vm->version < VSC_VMBUS_VERSION_WIN10_V5_3)
		return;
	memset(&r, 0, sizeof(r));
	vsp_vm_hdr(&r, VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE);
	r.child_relid = m.child_relid;
	r.status = cpu_to_le32(status);
	vsp_vm_send(vm, &r, sizeof(r));
}

/* Checks type, size, state and connection id; the type or 0 to drop. */
