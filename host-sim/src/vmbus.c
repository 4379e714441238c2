// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server (docs/protocol-facts.md 2.2, 2.3): the connection
 * (INITIATE_CONTACT, REQUESTOFFERS, UNLOAD), the queue of messages to the
 * guest, devices offered and rescinded at run time, and the dispatch of
 * the guest's messages; the channel messages proper are in chanmsg.c.
 * Each guest message is checked for size, connection state and every
 * field it names before anything acts on it; a bad one is a violation of
 * its kind and is answered with a failure status where the protocol has
 * one, else dropped. Nothing a guest sends can make vsp-sim touch memory
 * outside the GPADLs it created, or crash.
 */
#include <errno.h>
#include <string.h>

#include <vsc/echo.h>

#include "hostile.h"
#include "vmbus.h"
#include "vmbus_int.h"


static const uint32_t versions[] = {
	VSC_VMBUS_VERSION_WIN8_1, VSC_VMBUS_VERSION_WIN10,
	VSC_VMBUS_VERSION_WIN10_V4_1, VSC_VMBUS_VERSION_WIN10_V5,
	VSC_VMBUS_VERSION_WIN10_V5_1, VSC_VMBUS_VERSION_WIN10_V5_2,
	VSC_VMBUS_VERSION_WIN10_V5_3,
};

/* Smallest valid size of each message a guest sends (0: not a guest's). */
static const uint8_t min_len[VSC_VMBUS_MSG_COUNT] = {
	[VSC_VMBUS_MSG_REQUESTOFFERS] = sizeof(struct vsc_vmbus_msg_header),
	[VSC_VMBUS_MSG_OPENCHANNEL] = sizeof(struct vsc_vmbus_open_channel),
	[VSC_VMBUS_MSG_CLOSECHANNEL] = sizeof(struct vsc_vmbus_relid_msg),
	[VSC_VMBUS_MSG_GPADL_HEADER] = sizeof(struct vsc_vmbus_gpadl_header),
	[VSC_VMBUS_MSG_GPADL_BODY] = sizeof(struct vsc_vmbus_gpadl_body),
	[VSC_VMBUS_MSG_GPADL_TEARDOWN] = sizeof(struct vsc_vmbus_gpadl_teardown),
	[VSC_VMBUS_MSG_RELID_RELEASED] = sizeof(struct vsc_vmbus_relid_msg),
	[VSC_VMBUS_MSG_INITIATE_CONTACT] =
		sizeof(struct vsc_vmbus_initiate_contact),
	[VSC_VMBUS_MSG_UNLOAD] = sizeof(struct vsc_vmbus_msg_header),
	[VSC_VMBUS_MSG_MODIFYCHANNEL] = sizeof(struct vsc_vmbus_modifychannel),
};

void vsp_vmbus_init(struct vsp_vmbus *vm, struct vsp_host *h,
		    const struct vsp_vmbus_ops *ops, void *ops_ctx)
{
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->h = h;
	vm->ops = ops;
	vm->ops_ctx = ops_ctx;
	for (i = 0; i < vsp_dev_nclasses; i++)
		if (vsp_dev_classes[i]->cfg_init)
			vsp_dev_classes[i]->cfg_init(vm->cls_cfg[i]);
	pthread_mutex_init(&vm->req_lock, NULL);
	vm->rng = 0x9e3779b9u;
}

void vsp_vmbus_flush(struct vsp_vmbus *vm)
{
	int ret;

	while (vm->len) {
		ret = vsp_host_send(vm->h, vm->vp, &vm->outq[vm->head]);
		if (ret == -EAGAIN)
			return;
		vm->head = (vm->head + 1) % VSP_OUTQ;
		vm->len--;
		if (!ret)
			vm->st.sent++;
	}
}

unsigned int vsp_vm_room(const struct vsp_vmbus *vm)
{
	return VSP_OUTQ - vm->len;
}

/* Queues a message for the control VP; callers made sure of the room. */
void vsp_vm_send(struct vsp_vmbus *vm, const void *msg, uint32_t len)
{
	struct vsp_msg *m;

	if (!vsp_vm_room(vm) || len > VSC_HV_MESSAGE_PAYLOAD) {
		vsp_log("vmbus: message of %u bytes dropped: queue full", len);
		return;
	}
	m = &vm->outq[(vm->head + vm->len) % VSP_OUTQ];
	memset(m, 0, sizeof(*m));
	m->type = VSC_HV_MSGTYPE_VMBUS;
	m->size = len;
	memcpy(m->payload, msg, len);
	vm->len++;
	vsp_vmbus_flush(vm);
}

void vsp_vm_hdr(void *msg, uint32_t type)
{
	struct vsc_vmbus_msg_header *h = msg;

	h->msgtype = cpu_to_le32(type);
	h->padding = 0;
}

static void send_hdr(struct vsp_vmbus *vm, uint32_t type)
{
	struct vsc_vmbus_msg_header m;

	vsp_vm_hdr(&m, type);
	vsp_vm_send(vm, &m, sizeof(m));
}

void vsp_vm_send_offer(struct vsp_vmbus *vm, struct vsp_chan *c)
{
	struct vsc_vmbus_offer_channel o;

	memset(&o, 0, sizeof(o));
	vsp_vm_hdr(&o, VSC_VMBUS_MSG_OFFERCHANNEL);
	o.offer.if_type = vsp_dev_classes[c->cls]->guid;
	o.offer.if_instance = c->instance;
	/* A plain device channel: no pipe, no loopback, no monitor page. */
	o.offer.chn_flags = cpu_to_le16(0);
	/* A sub-channel: its primary's class and instance, and an index. */
	o.offer.sub_channel_index = cpu_to_le16(c->sub_index);
	o.child_relid = cpu_to_le32(c->relid);
	o.interrupt_flags = cpu_to_le16(VSC_VMBUS_OFFER_DEDICATED_INTERRUPT);
	/* The relid is the connection id: it fits the signal bitmap. */
	o.connection_id = cpu_to_le32(c->relid);
	vsp_vm_send(vm, &o, sizeof(o));
	c->offered = true;
}

void vsp_vm_send_relid(struct vsp_vmbus *vm, uint32_t type, uint32_t relid)
{
	struct vsc_vmbus_relid_msg m;

	vsp_vm_hdr(&m, type);
	m.child_relid = cpu_to_le32(relid);
	vsp_vm_send(vm, &m, sizeof(m));
}

void vsp_vm_send_torndown(struct vsp_vmbus *vm, uint32_t handle)
{
	struct vsc_vmbus_gpadl_torndown m;

	vsp_vm_hdr(&m, VSC_VMBUS_MSG_GPADL_TORNDOWN);
	m.gpadl = cpu_to_le32(handle);
	vsp_vm_send(vm, &m, sizeof(m));
	vm->st.gpadls_torn++;
}

/* Ends a channel's data path: the worker stops, the mapping goes. */
void vsp_vm_chan_stop(struct vsp_vmbus *vm, struct vsp_chan *c)
{
	if (c->state != VSP_CH_OPEN)
		return;
	if (vm->ops && vm->ops->stop)
		vm->ops->stop(vm->ops_ctx, vm, c);
	if (c->map && vm->ops && vm->ops->unmap)
		vm->ops->unmap(vm->ops_ctx, c->map, c->map_pages);
	c->map = NULL;
	c->map_pages = 0;
	c->closes++;
	c->state = VSP_CH_OFFERED;
}

void vsp_vm_free_gpadls(struct vsp_vmbus *vm, uint32_t relid)
{
	unsigned int i;

	for (i = 0; i < VSP_MAX_GPADLS; i++)
		if (vm->gp[i].used && (!relid || vm->gp[i].relid == relid))
			vsp_gpadl_free(&vm->gp[i]);
}

void vsp_vmbus_reset(struct vsp_vmbus *vm, const char *why)
{
	unsigned int r;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm->ch[r];

		vsp_vm_chan_stop(vm, c);
		if (c->state == VSP_CH_RESCINDED)
			c->state = VSP_CH_FREE;
		c->offered = false;
	}
	vsp_vm_free_gpadls(vm, 0);
	/* Sub-channels live as long as their primary's open: gone now. */
	vsp_vm_subs_forget(vm);
	if (vm->version)
		vsp_log("vmbus: connection reset: %s", why);
	vm->version = 0;
	vm->offers_requested = false;
	vm->head = vm->len = 0;
	vm->h->vmbus_conn = 0;
	vm->st.resets++;
}

void vsp_vmbus_destroy(struct vsp_vmbus *vm)
{
	vsp_vmbus_reset(vm, "vsp-sim exits");
	pthread_mutex_destroy(&vm->req_lock);
}

static bool version_known(uint32_t v)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(versions); i++)
		if (versions[i] == v)
			return true;
	return false;
}

static void on_contact(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_initiate_contact m;
	struct vsc_vmbus_version_response r;
	uint32_t v, vp;
	bool ok, v5;

	memcpy(&m, p->payload, sizeof(m));
	v = le32_to_cpu(m.vmbus_version_requested);
	vp = le32_to_cpu(m.target_vcpu);
	v5 = v >= VSC_VMBUS_VERSION_WIN10_V5;
	if (vm->version) {
		V(vm->h, VMBUS_STATE, "INITIATE_CONTACT while connected (version %#x): reset",
		  vm->version);
		vsp_vmbus_reset(vm, "INITIATE_CONTACT again");
	}
	if (vp >= vm->h->nr_vps) {
		V(vm->h, VMBUS_MSG, "INITIATE_CONTACT target_vcpu %u of %u VPs",
		  vp, vm->h->nr_vps);
		vp = 0;
	}
	ok = version_known(v) && vp == le32_to_cpu(m.target_vcpu);
	if (ok && v5 && (p->conn_id != VSC_VMBUS_MESSAGE_CONNECTION_ID_4 ||
			 m.msg_sint != VSC_VMBUS_SINT)) {
		V(vm->h, VMBUS_MSG, "INITIATE_CONTACT %#x on connection %u with msg_sint %u (5.0+: id 4, SINT 2)",
		  v, p->conn_id, m.msg_sint);
		ok = false;
	}
	if (ok && !v5 && p->conn_id != VSC_VMBUS_MESSAGE_CONNECTION_ID) {
		V(vm->h, VMBUS_MSG, "INITIATE_CONTACT %#x on connection %u (before 5.0: id 1)",
		  v, p->conn_id);
		ok = false;
	}
	memset(&r, 0, sizeof(r));
	vsp_vm_hdr(&r, VSC_VMBUS_MSG_VERSION_RESPONSE);
	r.version_supported = ok;
	r.connection_state = VSC_VMBUS_CONNECTION_OK;
	if (ok && v5)
		r.msg_conn_id = cpu_to_le32(VSP_VMBUS_MSG_CONN_ID);
	vm->vp = vp;
	vsp_vm_send(vm, &r, sizeof(r));
	if (!ok)
		return;
	vm->version = v;
	vm->h->vmbus_conn = v5 ? VSP_VMBUS_MSG_CONN_ID : 0;
	vm->st.contacts++;
	vsp_log("vmbus: guest connected: version %u.%u, control VP %u",
		v >> 16, v & 0xffff, vp);
}

static void on_request_offers(struct vsp_vmbus *vm)
{
	unsigned int r, last = 0;

	if (vm->offers_requested)
		V(vm->h, VMBUS_STATE, "REQUESTOFFERS twice");
	vm->offers_requested = true;
	/* --bug=lose-offer: the last device is never offered. */
	for (r = 1; r <= VSP_MAX_CHANNELS; r++)
		if (vm->ch[r].state == VSP_CH_OFFERED && !vm->ch[r].offered &&
		    (vm->h->bugs & VSP_BUG_LOSE_OFFER))
			last = r;
	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm->ch[r];

		if ((c->state == VSP_CH_OFFERED || c->state == VSP_CH_OPEN) &&
		    !c->offered && r != last)
			vsp_vm_send_offer(vm, c);
	}
	send_hdr(vm, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	vsp_hostile_ctl_burst(vm);
}

static uint32_t post_check(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	struct vsc_vmbus_msg_header h;
	uint32_t type, want;

	if (p->size < sizeof(h)) {
		V(vm->h, VMBUS_MSG, "VMBus message of %u bytes", p->size);
		return 0;
	}
	memcpy(&h, p->payload, sizeof(h));
	type = le32_to_cpu(h.msgtype);
	if (type >= VSC_VMBUS_MSG_COUNT || !min_len[type]) {
		V(vm->h, VMBUS_MSG, "VMBus message type %u: not one a guest sends",
		  type);
		return 0;
	}
	if (p->size < min_len[type]) {
		V(vm->h, VMBUS_MSG, "VMBus message type %u of %u bytes (needs %u)",
		  type, p->size, min_len[type]);
		return 0;
	}
	if (type == VSC_VMBUS_MSG_INITIATE_CONTACT)
		return type;
	if (!vm->version) {
		V(vm->h, VMBUS_STATE, "VMBus message type %u before a version was agreed",
		  type);
		return 0;
	}
	want = vm->version >= VSC_VMBUS_VERSION_WIN10_V5 ?
	       VSP_VMBUS_MSG_CONN_ID : VSC_VMBUS_MESSAGE_CONNECTION_ID;
	if (p->conn_id != want) {
		V(vm->h, VMBUS_STATE, "VMBus message type %u on connection %u, agreed %u",
		  type, p->conn_id, want);
		return 0;
	}
	return type;
}

bool vsp_vmbus_post(struct vsp_vmbus *vm, const struct vsp_post *p)
{
	unsigned int need = 2;
	uint32_t type = 0;

	vsp_vmbus_flush(vm);
	if (vm->npend)
		vsp_vm_subs_offer(vm);
	if (p->size >= 4)
		memcpy(&type, p->payload, 4);
	/* Room for every answer this message may cause, else hold it. */
	if (le32toh(type) == VSC_VMBUS_MSG_REQUESTOFFERS)
		need = VSP_MAX_CHANNELS + 1 +
		       (vm->h->hostile & VSP_H_CTL_ALL ? 128 : 0);
	/* A primary's close rescinds its sub-channels. */
	if (le32toh(type) == VSC_VMBUS_MSG_CLOSECHANNEL)
		need = 2 + VSP_SUB_MSGS;
	if (vsp_vm_room(vm) < need) {
		vm->st.held++;
		return false;
	}
	type = post_check(vm, p);
	if (!type)
		return true;
	vm->st.msgs[type]++;
	switch (type) {
	case VSC_VMBUS_MSG_INITIATE_CONTACT:
		on_contact(vm, p);
		break;
	case VSC_VMBUS_MSG_REQUESTOFFERS:
		on_request_offers(vm);
		break;
	case VSC_VMBUS_MSG_GPADL_HEADER:
	case VSC_VMBUS_MSG_GPADL_BODY:
		vsp_vm_on_gpadl(vm, p, type == VSC_VMBUS_MSG_GPADL_BODY);
		break;
	case VSC_VMBUS_MSG_GPADL_TEARDOWN:
		vsp_vm_on_gpadl_teardown(vm, p);
		break;
	case VSC_VMBUS_MSG_OPENCHANNEL:
		vsp_vm_on_open(vm, p);
		break;
	case VSC_VMBUS_MSG_CLOSECHANNEL:
		vsp_vm_on_close(vm, p);
		break;
	case VSC_VMBUS_MSG_RELID_RELEASED:
		vsp_vm_on_relid_released(vm, p);
		break;
	case VSC_VMBUS_MSG_MODIFYCHANNEL:
		vsp_vm_on_modify(vm, p);
		break;
	case VSC_VMBUS_MSG_UNLOAD:
		vsp_vmbus_reset(vm, "UNLOAD");
		vm->st.unloads++;
		if (!(vm->h->bugs & VSP_BUG_NO_UNLOAD_RESP))
			send_hdr(vm, VSC_VMBUS_MSG_UNLOAD_RESPONSE);
		break;
	}
	return true;
}

bool vsp_vmbus_signal(struct vsp_vmbus *vm, unsigned int conn)
{
	struct vsp_chan *c;

	if (!conn || conn > VSP_MAX_CHANNELS)
		return false;
	c = &vm->ch[conn];
	if (c->state != VSP_CH_OPEN)
		return false;
	if (vm->ops && vm->ops->kick)
		vm->ops->kick(vm->ops_ctx, c);
	return true;
}

struct vsp_chan *vsp_vm_chan_alloc(struct vsp_vmbus *vm)
{
	uint32_t r;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm->ch[r];

		if (c->state == VSP_CH_FREE) {
			memset(c, 0, sizeof(*c));
			c->relid = r;
			return c;
		}
	}
	return NULL;
}

/* The instance GUID of vsp-sim device n: 76737073-696d-6465-80cc-0000nnnnnnnn. */
static struct vsc_guid instance_guid(unsigned int cls, uint32_t n)
{
	return VSC_GUID(0x76737073, 0x696d, 0x6465, 0x80, cls, 0, 0,
			n >> 24, n >> 16, n >> 8, n);
}

void *vsp_dev_cfg(struct vsp_vmbus *vm, unsigned int cls)
{
	return cls < vsp_dev_nclasses ? vm->cls_cfg[cls] : NULL;
}

int vsp_vmbus_add_instance(struct vsp_vmbus *vm, unsigned int cls,
			   uint32_t n)
{
	struct vsp_chan *c;
	struct vsc_guid g;
	uint32_t r;

	if (cls >= vsp_dev_nclasses)
		return -EINVAL;
	if (vm->offers_requested && vsp_vm_room(vm) < 1)
		return -EAGAIN;
	if (!n)
		n = ++vm->next_instance;
	else if (n > vm->next_instance)
		vm->next_instance = n;	/* new instances come after it */
	g = instance_guid(cls, n);
	/* Offered, or rescinded and not released yet (sub-channels too). */
	for (r = 1; r <= VSP_MAX_CHANNELS; r++)
		if (vm->ch[r].state != VSP_CH_FREE &&
		    !memcmp(&vm->ch[r].instance, &g, sizeof(g)))
			return -EEXIST;
	c = vsp_vm_chan_alloc(vm);
	if (!c)
		return -ENOSPC;
	c->cls = cls;
	c->state = VSP_CH_OFFERED;
	c->instance = g;
	c->instance_nr = n;
	if (vm->offers_requested)
		vsp_vm_send_offer(vm, c);
	return c->relid;
}

int vsp_vmbus_add(struct vsp_vmbus *vm, unsigned int cls)
{
	return vsp_vmbus_add_instance(vm, cls, 0);
}

int vsp_vmbus_rescind(struct vsp_vmbus *vm, uint32_t relid)
{
	struct vsp_chan *c;

	if (!relid || relid > VSP_MAX_CHANNELS)
		return -ENOENT;
	c = &vm->ch[relid];
	if (c->state != VSP_CH_OFFERED && c->state != VSP_CH_OPEN)
		return -ENOENT;
	if (!c->offered) {
		memset(c, 0, sizeof(*c));
		return 0;
	}
	if (vsp_vm_room(vm) < 1 + (c->sub_index ? 0 : VSP_SUB_MSGS))
		return -EAGAIN;
	/* A primary's sub-channels go first, as they came after it. */
	if (!c->sub_index)
		vsp_vm_subs_rescind(vm, relid);
	/* The host lets go of the guest's memory before it says so. */
	vsp_vm_chan_stop(vm, c);
	c->state = VSP_CH_RESCINDED;
	vsp_vm_send_relid(vm, VSC_VMBUS_MSG_RESCIND_CHANNELOFFER, relid);
	return 0;
}
