// SPDX-License-Identifier: GPL-2.0
/*
 * The hostile host (hostile.h): control messages that lie, and ring data
 * that lies on one channel. Everything here is a well-defined write into
 * memory vsp-sim already owns (its message queue, the rings it maps); a
 * lie never makes vsp-sim itself read or write out of bounds.
 */
#include <string.h>

#include <vsc/echo.h>
#include <vsc/vmbus.h>

#include "hostile.h"
#include "ringlib.h"
#include "vmbus.h"
#include "vmbus_int.h"

const char *vsp_hostile_name(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vsp_hostile_names); i++)
		if (vsp_hostile_names[i].bit == bit)
			return vsp_hostile_names[i].name;
	return "?";
}

/* A message of type with len bytes: the header, then fill bytes. */
static void send_raw(struct vsp_vmbus *vm, uint32_t type, uint32_t len,
		     uint8_t fill)
{
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD];

	memset(m, fill, sizeof(m));
	if (len >= sizeof(struct vsc_vmbus_msg_header))
		vsp_vm_hdr(m, type);
	else
		memcpy(m, &type, len < 4 ? len : 4);
	vsp_vm_send(vm, m, len);
}

/* Three u32 after the header: the shape of most answers. */
static void send3(struct vsp_vmbus *vm, uint32_t type, uint32_t a,
		  uint32_t b, uint32_t c, uint32_t len)
{
	struct {
		struct vsc_vmbus_msg_header h;
		__le32 v[3];
	} __attribute__((packed)) m;

	vsp_vm_hdr(&m, type);
	m.v[0] = cpu_to_le32(a);
	m.v[1] = cpu_to_le32(b);
	m.v[2] = cpu_to_le32(c);
	vsp_vm_send(vm, &m, len);
}

static void msg_short(struct vsp_vmbus *vm)
{
	static const struct { uint32_t type, len; } t[] = {
		{ VSC_VMBUS_MSG_OFFERCHANNEL,
		  sizeof(struct vsc_vmbus_offer_channel) - 4 },
		{ VSC_VMBUS_MSG_OFFERCHANNEL, 12 },
		{ VSC_VMBUS_MSG_RESCIND_CHANNELOFFER, 8 },
		{ VSC_VMBUS_MSG_ALLOFFERS_DELIVERED, 4 },
		{ VSC_VMBUS_MSG_OPENCHANNEL_RESULT, 16 },
		{ VSC_VMBUS_MSG_GPADL_CREATED, 12 },
		{ VSC_VMBUS_MSG_GPADL_TORNDOWN, 8 },
		{ VSC_VMBUS_MSG_VERSION_RESPONSE, 9 },
		{ VSC_VMBUS_MSG_UNLOAD_RESPONSE, 6 },
		{ VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE, 10 },
		{ VSC_VMBUS_MSG_OFFERCHANNEL, 0 },
		{ VSC_VMBUS_MSG_OFFERCHANNEL, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		send_raw(vm, t[i].type, t[i].len, 0xff);
}

static void msg_type(struct vsp_vmbus *vm)
{
	/* Unknown types, and the types only a guest sends. */
	static const uint32_t t[] = {
		0, 3, 5, 7, 8, 9, 11, 13, 14, 16, 18, 19, 20, 21, 22, 23, 25,
		29, 200, 0x10000, 0xffffffff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		send_raw(vm, t[i], i % 2 ? VSC_HV_MESSAGE_PAYLOAD : 16, 0xa5);
}

static void msg_relid(struct vsp_vmbus *vm)
{
	static const uint32_t bad[] = { 0, VSC_VMBUS_MAX_RELID + 1, 0xffffffff };
	struct vsc_vmbus_offer_channel o;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&o, 0, sizeof(o));
		vsp_vm_hdr(&o, VSC_VMBUS_MSG_OFFERCHANNEL);
		o.offer.if_type = VSC_CLASS_ECHO;
		o.child_relid = cpu_to_le32(bad[i]);
		o.connection_id = cpu_to_le32(bad[i]);
		vsp_vm_send(vm, &o, sizeof(o));
		send3(vm, VSC_VMBUS_MSG_RESCIND_CHANNELOFFER, bad[i], 0, 0, 12);
		send3(vm, VSC_VMBUS_MSG_OPENCHANNEL_RESULT, bad[i], bad[i], 0,
		      20);
		send3(vm, VSC_VMBUS_MSG_GPADL_CREATED, bad[i],
		      VSP_HOSTILE_GPADL, 0, 20);
	}
	/* A second offer of a live relid, with another instance. */
	for (i = 1; i <= VSP_MAX_CHANNELS; i++) {
		if (!vm->ch[i].offered || vm->ch[i].state == VSP_CH_RESCINDED)
			continue;
		memset(&o, 0, sizeof(o));
		vsp_vm_hdr(&o, VSC_VMBUS_MSG_OFFERCHANNEL);
		o.offer.if_type = VSC_CLASS_ECHO;
		o.offer.if_instance = VSC_GUID(0x7ead, 0, 0, 0, 0, 0, 0, 0, 0,
					       0, i);
		o.child_relid = cpu_to_le32(i);
		o.connection_id = cpu_to_le32(i);
		vsp_vm_send(vm, &o, sizeof(o));
		break;
	}
	/* A rescind and an event for relids the guest was never offered. */
	send3(vm, VSC_VMBUS_MSG_RESCIND_CHANNELOFFER, VSP_MAX_CHANNELS - 4, 0,
	      0, 12);
	vsp_host_signal(vm->h, vm->vp, VSP_MAX_CHANNELS - 4);
	vsp_host_signal(vm->h, vm->vp, VSC_VMBUS_MAX_RELID);
}

static void gpadl_unasked(struct vsp_vmbus *vm)
{
	uint32_t i;

	for (i = 0; i < 4; i++) {
		send3(vm, VSC_VMBUS_MSG_GPADL_CREATED, 1 + i % 2,
		      VSP_HOSTILE_GPADL + i, i ? VSP_STATUS_UNSUCCESSFUL : 0,
		      20);
		send3(vm, VSC_VMBUS_MSG_GPADL_TORNDOWN, VSP_HOSTILE_GPADL + i,
		      0, 0, 12);
	}
	send3(vm, VSC_VMBUS_MSG_GPADL_TORNDOWN, 0, 0, 0, 12);
}

static void open_unasked(struct vsp_vmbus *vm)
{
	send3(vm, VSC_VMBUS_MSG_OPENCHANNEL_RESULT, 1, VSP_HOSTILE_OPENID, 0,
	      20);
	send3(vm, VSC_VMBUS_MSG_OPENCHANNEL_RESULT, 2, VSP_HOSTILE_OPENID,
	      VSP_STATUS_UNSUCCESSFUL, 20);
	send3(vm, VSC_VMBUS_MSG_OPENCHANNEL_RESULT, VSP_MAX_CHANNELS - 4,
	      VSP_MAX_CHANNELS - 4, 0, 20);
}

static void version_unasked(struct vsp_vmbus *vm)
{
	struct vsc_vmbus_version_response r;

	memset(&r, 0, sizeof(r));
	vsp_vm_hdr(&r, VSC_VMBUS_MSG_VERSION_RESPONSE);
	r.version_supported = 1;
	r.msg_conn_id = cpu_to_le32(0x7ead);
	vsp_vm_send(vm, &r, sizeof(r));
	r.version_supported = 0;
	r.connection_state = 2;
	vsp_vm_send(vm, &r, sizeof(r));
	send_raw(vm, VSC_VMBUS_MSG_UNLOAD_RESPONSE, 8, 0);
	send_raw(vm, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED, 8, 0);
	send3(vm, VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE, 1, 0, 0, 16);
}

static void offer_storm(struct vsp_vmbus *vm)
{
	unsigned int i;
	int relid;

	/* Devices of a class no driver takes: the guest only adds them. */
	for (i = 0; i < VSP_HOSTILE_STORM; i++) {
		relid = vsp_vmbus_add(vm, VSP_CLASS_NULL);
		if (relid < 0)
			break;
		vsp_vmbus_rescind(vm, relid);
	}
}

void vsp_hostile_ctl_burst(struct vsp_vmbus *vm)
{
	uint32_t h = vm->h->hostile;

	if (!(h & VSP_H_CTL_ALL))
		return;
	vsp_log("hostile: control-plane lies for the guest (%#x)",
		h & VSP_H_CTL_ALL);
	if (h & VSP_H_MSG_SHORT)
		msg_short(vm);
	if (h & VSP_H_MSG_TYPE)
		msg_type(vm);
	if (h & VSP_H_MSG_RELID)
		msg_relid(vm);
	if (h & VSP_H_GPADL)
		gpadl_unasked(vm);
	if (h & VSP_H_OPEN)
		open_unasked(vm);
	if (h & VSP_H_VERSION)
		version_unasked(vm);
	if (h & VSP_H_OFFER_STORM)
		offer_storm(vm);
}

uint32_t vsp_hostile_ring_pick(uint32_t hostile, uint64_t opens)
{
	uint32_t list[16], bit;
	unsigned int n = 0;

	for (bit = 1; bit; bit <<= 1)
		if (hostile & VSP_H_RING_ALL & bit)
			list[n++] = bit;
	return n ? list[opens % n] : 0;
}

/* Copies between the ring's data area and len bytes at p, wrapping. */
static void ring_io(struct vsc_ring *r, uint32_t off, void *p, uint32_t len,
		    bool to_ring)
{
	uint8_t *b = p;
	uint32_t i, at;

	for (i = 0; i < len; i++) {
		at = (uint32_t)(((uint64_t)off + i) % r->size);
		if (to_ring)
			r->data[at] = b[i];
		else
			b[i] = r->data[at];
	}
}

bool vsp_hostile_ring_desc(uint32_t cls, struct vsc_ring *out, uint32_t start)
{
	struct vsc_packet_desc d;

	if (start >= out->size)
		return false;
	ring_io(out, start, &d, sizeof(d), false);
	switch (cls) {
	case VSP_H_RING_LEN:
		d.len8 = cpu_to_le16(0xffff);
		break;
	case VSP_H_RING_OFFSET:
		d.offset8 = cpu_to_le16(le16_to_cpu(d.len8) + 1);
		break;
	case VSP_H_RING_TYPE:
		d.type = cpu_to_le16(0x77);
		break;
	case VSP_H_RING_TID:
		d.type = cpu_to_le16(VSC_PKT_COMPLETION);
		d.trans_id = cpu_to_le64(0x7ead7ead00000000ULL | start);
		break;
	default:
		return false;
	}
	ring_io(out, start, &d, sizeof(d), true);
	return true;
}

bool vsp_hostile_ring_index(uint32_t cls, struct vsc_ring *out,
			    struct vsc_ring *in)
{
	switch (cls) {
	case VSP_H_RING_WINDEX:
		__atomic_store_n(out->write_index, cpu_to_le32(out->size + 8),
				 __ATOMIC_RELEASE);
		return true;
	case VSP_H_RING_WALIGN:
		__atomic_store_n(out->write_index,
				 cpu_to_le32(out->index + 4), __ATOMIC_RELEASE);
		return true;
	case VSP_H_RING_RINDEX:
		__atomic_store_n(in->read_index, cpu_to_le32(in->size + 64),
				 __ATOMIC_RELEASE);
		return true;
	default:
		return false;
	}
}
