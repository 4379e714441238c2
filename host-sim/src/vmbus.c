// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server's channel messages (docs/protocol-facts.md 2.2, 2.3).
 * Each guest message is checked for size, connection state and every
 * field it names before anything acts on it; a bad one is a violation of
 * its kind and is answered with a failure status where the protocol has
 * one, else dropped. Nothing a guest sends can make vsp-sim touch memory
 * outside the GPADLs it created, or crash.
 */
#include <errno.h>
#include <string.h>

#include <vsc/echo.h>

#include "vmbus.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define V(h, kind, ...) vsp_host_violation(h, VSP_V_##kind, __VA_ARGS__)

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

static struct vsc_guid class_guid(enum vsp_class cls)
{
	(void)cls;
	return VSC_CLASS_ECHO;
}

void vsp_vmbus_init(struct vsp_vmbus *vm, struct vsp_host *h,
		    const struct vsp_vmbus_ops *ops, void *ops_ctx,
		    const struct vsp_echo_cfg *echo)
{
	memset(vm, 0, sizeof(*vm));
	vm->h = h;
	vm->ops = ops;
	vm->ops_ctx = ops_ctx;
	if (echo)
		vm->echo = *echo;
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

static unsigned int room(const struct vsp_vmbus *vm)
{
	return VSP_OUTQ - vm->len;
}

/* Queues a message for the control VP; callers made sure of the room. */
static void send(struct vsp_vmbus *vm, const void *msg, uint32_t len)
{
	struct vsp_msg *m;

	if (!room(vm) || len > VSC_HV_MESSAGE_PAYLOAD) {
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

static void hdr(void *msg, uint32_t type)
{
	struct vsc_vmbus_msg_header *h = msg;

	h->msgtype = cpu_to_le32(type);
	h->padding = 0;
}

static void send_hdr(struct vsp_vmbus *vm, uint32_t type)
{
	struct vsc_vmbus_msg_header m;

	hdr(&m, type);
	send(vm, &m, sizeof(m));
}

static void send_offer(struct vsp_vmbus *vm, struct vsp_chan *c)
{
	struct vsc_vmbus_offer_channel o;

	memset(&o, 0, sizeof(o));
	hdr(&o, VSC_VMBUS_MSG_OFFERCHANNEL);
	o.offer.if_type = class_guid(c->cls);
	o.offer.if_instance = c->instance;
	/* A plain device channel: no pipe, no loopback, no monitor page. */
	o.offer.chn_flags = cpu_to_le16(0);
	o.child_relid = cpu_to_le32(c->relid);
	o.interrupt_flags = cpu_to_le16(VSC_VMBUS_OFFER_DEDICATED_INTERRUPT);
	/* The relid is the connection id: it fits the signal bitmap. */
	o.connection_id = cpu_to_le32(c->relid);
	send(vm, &o, sizeof(o));
	c->offered = true;
}

static void send_relid(struct vsp_vmbus *vm, uint32_t type, uint32_t relid)
{
	struct vsc_vmbus_relid_msg m;

	hdr(&m, type);
	m.child_relid = cpu_to_le32(relid);
	send(vm, &m, sizeof(m));
}

static void send_torndown(struct vsp_vmbus *vm, uint32_t handle)
{
	struct vsc_vmbus_gpadl_torndown m;

	hdr(&m, VSC_VMBUS_MSG_GPADL_TORNDOWN);
	m.gpadl = cpu_to_le32(handle);
	send(vm, &m, sizeof(m));
	vm->st.gpadls_torn++;
}

/* Ends a channel's data path: the worker stops, the mapping goes. */
static void chan_stop(struct vsp_vmbus *vm, struct vsp_chan *c)
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

static void free_gpadls(struct vsp_vmbus *vm, uint32_t relid)
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

		chan_stop(vm, c);
		if (c->state == VSP_CH_RESCINDED)
			c->state = VSP_CH_FREE;
		c->offered = false;
	}
	free_gpadls(vm, 0);
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
	hdr(&r, VSC_VMBUS_MSG_VERSION_RESPONSE);
	r.version_supported = ok;
	r.connection_state = VSC_VMBUS_CONNECTION_OK;
	if (ok && v5)
		r.msg_conn_id = cpu_to_le32(VSP_VMBUS_MSG_CONN_ID);
	vm->vp = vp;
	send(vm, &r, sizeof(r));
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
	unsigned int r;

	if (vm->offers_requested)
		V(vm->h, VMBUS_STATE, "REQUESTOFFERS twice");
	vm->offers_requested = true;
	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm->ch[r];

		if ((c->state == VSP_CH_OFFERED || c->state == VSP_CH_OPEN) &&
		    !c->offered)
			send_offer(vm, c);
	}
	send_hdr(vm, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
}

static void on_gpadl(struct vsp_vmbus *vm, const struct vsp_post *p,
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
	hdr(&r, VSC_VMBUS_MSG_GPADL_CREATED);
	r.child_relid = cpu_to_le32(relid);
	r.gpadl = cpu_to_le32(handle);
	r.creation_status = cpu_to_le32(res == VSP_GPADL_DONE ? 0 :
					VSP_STATUS_INVALID_PARAMETER);
	send(vm, &r, sizeof(r));
}

static void on_gpadl_teardown(struct vsp_vmbus *vm, const struct vsp_post *p)
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
	send_torndown(vm, handle);
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

static void on_open(struct vsp_vmbus *vm, const struct vsp_post *p)
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
	hdr(&r, VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	r.child_relid = cpu_to_le32(c->relid);
	r.openid = m.openid;
	r.status = cpu_to_le32(status);
	send(vm, &r, sizeof(r));
}

static void on_close(struct vsp_vmbus *vm, const struct vsp_post *p)
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
	chan_stop(vm, c);
	g = vsp_gpadl_find(vm, c->gpadl);
	if (g && g->teardown_pending) {
		vsp_gpadl_free(g);
		send_torndown(vm, c->gpadl);
	}
}

static void on_relid_released(struct vsp_vmbus *vm, const struct vsp_post *p)
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
	free_gpadls(vm, c->relid);
	memset(c, 0, sizeof(*c));
	vsp_log("vmbus: relid %u released", le32_to_cpu(m.child_relid));
}

static void on_modify(struct vsp_vmbus *vm, const struct vsp_post *p)
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
	hdr(&r, VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE);
	r.child_relid = m.child_relid;
	r.status = cpu_to_le32(status);
	send(vm, &r, sizeof(r));
}

/* Checks type, size, state and connection id; the type or 0 to drop. */
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
	if (p->size >= 4)
		memcpy(&type, p->payload, 4);
	/* Room for every answer this message may cause, else hold it. */
	if (le32toh(type) == VSC_VMBUS_MSG_REQUESTOFFERS)
		need = VSP_MAX_CHANNELS + 1;
	if (room(vm) < need) {
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
		on_gpadl(vm, p, type == VSC_VMBUS_MSG_GPADL_BODY);
		break;
	case VSC_VMBUS_MSG_GPADL_TEARDOWN:
		on_gpadl_teardown(vm, p);
		break;
	case VSC_VMBUS_MSG_OPENCHANNEL:
		on_open(vm, p);
		break;
	case VSC_VMBUS_MSG_CLOSECHANNEL:
		on_close(vm, p);
		break;
	case VSC_VMBUS_MSG_RELID_RELEASED:
		on_relid_released(vm, p);
		break;
	case VSC_VMBUS_MSG_MODIFYCHANNEL:
		on_modify(vm, p);
		break;
	case VSC_VMBUS_MSG_UNLOAD:
		vsp_vmbus_reset(vm, "UNLOAD");
		vm->st.unloads++;
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

int vsp_vmbus_add(struct vsp_vmbus *vm, enum vsp_class cls)
{
	struct vsp_chan *c = NULL;
	uint32_t r, n;

	if (cls >= VSP_CLASS_COUNT)
		return -EINVAL;
	if (vm->offers_requested && room(vm) < 1)
		return -EAGAIN;
	for (r = 1; r <= VSP_MAX_CHANNELS && !c; r++)
		if (vm->ch[r].state == VSP_CH_FREE)
			c = &vm->ch[r];
	if (!c)
		return -ENOSPC;
	memset(c, 0, sizeof(*c));
	c->relid = r - 1;
	c->cls = cls;
	c->state = VSP_CH_OFFERED;
	/* vsp-sim device n: 76737073-696d-6465-8000-0000000000nn, stable. */
	n = ++vm->next_instance;
	c->instance = VSC_GUID(0x76737073, 0x696d, 0x6465, 0x80, cls, 0, 0,
			       n >> 24, n >> 16, n >> 8, n);
	if (vm->offers_requested)
		send_offer(vm, c);
	return c->relid;
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
	if (room(vm) < 1)
		return -EAGAIN;
	/* The host lets go of the guest's memory before it says so. */
	chan_stop(vm, c);
	c->state = VSP_CH_RESCINDED;
	send_relid(vm, VSC_VMBUS_MSG_RESCIND_CHANNELOFFER, relid);
	return 0;
}
