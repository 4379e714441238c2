// SPDX-License-Identifier: GPL-2.0
/* The test guest's VMBus side; see guest_vmbus.h. */
#include <string.h>

#include "guest_vmbus.h"
#include "shared.h"

int vg_vmbus_send(struct vg *g, uint32_t conn, const void *msg, uint32_t len)
{
	return vg_post(g, conn, VSC_HV_MSGTYPE_VMBUS, msg, len);
}

uint32_t vg_vmbus_recv(struct vg *g, unsigned int vp, void *buf,
		       uint32_t *len)
{
	struct vsc_hv_message m;
	uint32_t type;

	if (!vg_take(g, vp, &m))
		return 0;
	if (le32_to_cpu(m.header.message_type) != VSC_HV_MSGTYPE_VMBUS ||
	    m.header.payload_size < 8)
		return 0;
	memcpy(buf, m.payload, VSC_HV_MESSAGE_PAYLOAD);
	*len = m.header.payload_size;
	memcpy(&type, m.payload, 4);
	return le32_to_cpu(type);
}

static void hdr(void *msg, uint32_t type)
{
	struct vsc_vmbus_msg_header *h = msg;

	h->msgtype = cpu_to_le32(type);
	h->padding = 0;
}

int vg_contact(struct vg *g, uint32_t version, uint32_t target_vp)
{
	struct vsc_vmbus_initiate_contact m;
	uint32_t conn = VSC_VMBUS_MESSAGE_CONNECTION_ID;

	memset(&m, 0, sizeof(m));
	hdr(&m, VSC_VMBUS_MSG_INITIATE_CONTACT);
	m.vmbus_version_requested = cpu_to_le32(version);
	m.target_vcpu = cpu_to_le32(target_vp);
	if (version >= VSC_VMBUS_VERSION_WIN10_V5) {
		m.msg_sint = VSC_VMBUS_SINT;
		conn = VSC_VMBUS_MESSAGE_CONNECTION_ID_4;
	}
	return vg_vmbus_send(g, conn, &m, sizeof(m));
}

int vg_gpadl(struct vg *g, uint32_t conn, uint32_t relid, uint32_t handle,
	     const uint64_t *pfns, uint32_t n)
{
	uint8_t msg[VSC_HV_MESSAGE_PAYLOAD];
	struct vsc_vmbus_gpadl_header *h = (void *)msg;
	struct vsc_vmbus_gpadl_body *b = (void *)msg;
	struct vsc_gpa_range r;
	uint32_t k, i = 0, no = 0, posts = 0;
	uint64_t pfn;

	memset(msg, 0, sizeof(msg));
	hdr(h, VSC_VMBUS_MSG_GPADL_HEADER);
	h->child_relid = cpu_to_le32(relid);
	h->gpadl = cpu_to_le32(handle);
	h->range_buflen = cpu_to_le16(sizeof(r) + n * 8);
	h->rangecount = cpu_to_le16(1);
	r.byte_count = cpu_to_le32(n * 4096);
	r.byte_offset = 0;
	memcpy(msg + sizeof(*h), &r, sizeof(r));
	for (k = 0; i < n && k < VSC_VMBUS_GPADL_HEADER_PFNS; k++, i++) {
		pfn = cpu_to_le64(pfns[i]);
		memcpy(msg + sizeof(*h) + sizeof(r) + k * 8, &pfn, 8);
	}
	if (vg_vmbus_send(g, conn, msg, sizeof(*h) + sizeof(r) + k * 8))
		return -1;
	posts++;
	while (i < n) {
		memset(msg, 0, sizeof(msg));
		hdr(b, VSC_VMBUS_MSG_GPADL_BODY);
		b->msgnumber = cpu_to_le32(++no);
		b->gpadl = cpu_to_le32(handle);
		for (k = 0; i < n && k < VSC_VMBUS_GPADL_BODY_PFNS; k++, i++) {
			pfn = cpu_to_le64(pfns[i]);
			memcpy(msg + sizeof(*b) + k * 8, &pfn, 8);
		}
		if (vg_vmbus_send(g, conn, msg, sizeof(*b) + k * 8))
			return -1;
		posts++;
	}
	return posts;
}

int vg_open(struct vg *g, uint32_t conn, uint32_t relid, uint32_t gpadl,
	    uint32_t target_vp, uint32_t down_pages)
{
	struct vsc_vmbus_open_channel m;

	memset(&m, 0, sizeof(m));
	hdr(&m, VSC_VMBUS_MSG_OPENCHANNEL);
	m.child_relid = cpu_to_le32(relid);
	m.openid = cpu_to_le32(relid);
	m.ringbuffer_gpadl = cpu_to_le32(gpadl);
	m.target_vp = cpu_to_le32(target_vp);
	m.downstream_ring_pageoffset = cpu_to_le32(down_pages);
	return vg_vmbus_send(g, conn, &m, sizeof(m));
}

int vg_relid_msg(struct vg *g, uint32_t conn, uint32_t type, uint32_t relid)
{
	struct vsc_vmbus_relid_msg m;

	hdr(&m, type);
	m.child_relid = cpu_to_le32(relid);
	return vg_vmbus_send(g, conn, &m, sizeof(m));
}

int vg_gpadl_teardown(struct vg *g, uint32_t conn, uint32_t relid,
		      uint32_t handle)
{
	struct vsc_vmbus_gpadl_teardown m;

	hdr(&m, VSC_VMBUS_MSG_GPADL_TEARDOWN);
	m.child_relid = cpu_to_le32(relid);
	m.gpadl = cpu_to_le32(handle);
	return vg_vmbus_send(g, conn, &m, sizeof(m));
}

static void count_signal(struct vsc_ring *ring)
{
	struct vg_chan *c = ring->priv;

	c->signals++;
}

void vg_chan_setup(struct vg *g, struct vg_chan *c, uint64_t gpa,
		   uint32_t out_pages, uint32_t in_pages, uint64_t *pfns)
{
	uint8_t *base = vg_gpa(g, gpa);
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->gpa = gpa;
	c->pages = 2 + out_pages + in_pages;
	c->down = 1 + out_pages;
	memset(base, 0, (size_t)c->pages * 4096);
	vsc_ring_control_init((void *)base, VSC_RING_FEAT_PENDING_SEND_SZ);
	vsc_ring_control_init((void *)(base + c->down * 4096),
			      VSC_RING_FEAT_PENDING_SEND_SZ);
	vsc_ring_init(&c->out, VSC_RING_WRITER, (void *)base, base + 4096,
		      out_pages * 4096, count_signal);
	vsc_ring_init(&c->in, VSC_RING_READER,
		      (void *)(base + c->down * 4096),
		      base + (c->down + 1) * 4096, in_pages * 4096,
		      count_signal);
	c->out.priv = c;
	c->in.priv = c;
	for (i = 0; i < c->pages; i++)
		pfns[i] = gpa / 4096 + i;
}
