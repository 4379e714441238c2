/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test guest for the storage class (src/scsi/): guest RAM in a flat
 * buffer behind the VSTOR map callback, the server's answers caught by its
 * send callback, and builders for the packets a guest sends. Shared by the
 * cmocka tests and the fuzzers (no cmocka here).
 */
#ifndef VSP_TEST_SCSI_FIX_H
#define VSP_TEST_SCSI_FIX_H

#include <stdlib.h>
#include <string.h>

#include "scsi/memq.h"
#include "scsi/vstor.h"

#define FIX_RAM_PAGES	96
#define FIX_PAGE	4096u

struct fix {
	uint8_t ram[FIX_RAM_PAGES * FIX_PAGE];
	struct vsc_vstor_packet reply;	/* the last answer */
	uint32_t reply_len;
	uint64_t reply_id;
	uint32_t replies;
	uint16_t subchannels;
	uint8_t target;			/* fix_srb()'s target id */
	struct vsp_memq mq;
	struct vsp_vstor v;
	struct vsp_vstor_chan ch;
	/* a GPA-direct packet: one range and its PFNs */
	uint8_t ranges[sizeof(struct vsc_gpa_range) + 8 * (FIX_RAM_PAGES + 1)];
	struct vsc_vstor_packet req;
	struct vsc_ring_pkt pkt;
};

static void *fix_map(void *priv, uint64_t gpa, uint32_t len)
{
	struct fix *f = priv;

	if (gpa > sizeof(f->ram) || len > sizeof(f->ram) - gpa)
		return NULL;
	return f->ram + gpa;
}

static void fix_send(void *chan_priv, uint64_t id, const void *pkt, uint32_t len)
{
	struct fix *f = chan_priv;

	f->reply_len = len;
	f->reply_id = id;
	f->replies++;
	memset(&f->reply, 0, sizeof(f->reply));
	memcpy(&f->reply, pkt, len < sizeof(f->reply) ? len : sizeof(f->reply));
}

static int fix_subchannels(void *priv, uint16_t n)
{
	struct fix *f = priv;

	f->subchannels = n;
	return 0;
}

static const struct vsp_vstor_ops fix_ops = {
	.map = fix_map, .send = fix_send, .subchannels = fix_subchannels,
};

/* A server with max transfer @xfer and up to 4 sub-channels. */
static inline int fix_init(struct fix *f, uint32_t xfer)
{
	struct vsp_vstor_cfg cfg = { .max_transfer = xfer, .max_subchannels = 4 };

	memset(f, 0, sizeof(*f));
	vsp_memq_init(&f->mq);
	f->ch.v = &f->v;
	f->ch.q = &f->mq.q;
	f->ch.priv = f;
	f->ch.primary = true;
	return vsp_vstor_init(&f->v, &cfg, &fix_ops, f);
}

/* An in-band packet of operation @op, sent as @len bytes. */
static inline int fix_op(struct fix *f, uint32_t op, uint32_t len, uint64_t id)
{
	f->req.operation = cpu_to_le32(op);
	f->req.flags = cpu_to_le32(VSC_VSTOR_FLAG_REQUEST_COMPLETION);
	memset(&f->pkt, 0, sizeof(f->pkt));
	f->pkt.type = VSC_PKT_DATA_INBAND;
	f->pkt.flags = VSC_PKT_FLAG_COMPLETION_REQUESTED;
	f->pkt.trans_id = id;
	f->pkt.data = (const uint8_t *)&f->req;
	f->pkt.data_len = len;
	return vsp_vstor_handle(&f->ch, &f->pkt);
}

/* BEGIN, version 6.2, properties, END; 0 if every step succeeded. */
static inline int fix_handshake(struct fix *f)
{
	uint32_t sz = sizeof(f->req);
	int bad = 0;

	memset(&f->req, 0, sizeof(f->req));
	bad |= fix_op(f, VSC_VSTOR_OP_BEGIN_INITIALIZATION, sz, 1);
	bad |= (int)f->reply.status;
	f->req.version.major_minor = cpu_to_le16(VSC_VSTOR_VERSION_WIN10);
	bad |= fix_op(f, VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, sz, 2);
	bad |= (int)f->reply.status;
	bad |= fix_op(f, VSC_VSTOR_OP_QUERY_PROPERTIES, sz, 3);
	bad |= (int)f->reply.status;
	bad |= fix_op(f, VSC_VSTOR_OP_END_INITIALIZATION, sz, 4);
	bad |= (int)f->reply.status;
	return bad;
}

/*
 * An EXECUTE_SRB for f->target, LUN @lun, with @cdb; @len bytes of data at
 * guest page @pfn + @off (none if @len is 0), direction @dir.
 */
static inline int fix_srb(struct fix *f, uint8_t lun, const uint8_t *cdb,
			  uint8_t cdb_len, uint8_t dir, uint32_t len,
			  uint64_t pfn, uint32_t off, uint64_t id)
{
	struct vsc_gpa_range *r = (struct vsc_gpa_range *)f->ranges;
	struct vsc_vstor_srb *s = &f->req.srb;
	uint32_t npfn = (uint32_t)(((uint64_t)off + len + FIX_PAGE - 1) / FIX_PAGE);

	memset(&f->req, 0, sizeof(f->req));
	f->req.operation = cpu_to_le32(VSC_VSTOR_OP_EXECUTE_SRB);
	f->req.flags = cpu_to_le32(VSC_VSTOR_FLAG_REQUEST_COMPLETION);
	s->length = cpu_to_le16(sizeof(*s));
	s->target_id = f->target;
	s->lun = lun;
	s->cdb_length = cdb_len;
	memcpy(s->cdb, cdb, cdb_len);
	s->sense_info_length = VSC_VSTOR_SENSE_SIZE;
	s->data_in = dir;
	s->data_transfer_length = cpu_to_le32(len);
	memset(&f->pkt, 0, sizeof(f->pkt));
	f->pkt.trans_id = id;
	f->pkt.data = (const uint8_t *)&f->req;
	f->pkt.data_len = sizeof(f->req);
	f->pkt.type = VSC_PKT_DATA_INBAND;
	if (len && npfn <= FIX_RAM_PAGES + 1) {
		r->byte_count = cpu_to_le32(len);
		r->byte_offset = cpu_to_le32(off);
		for (uint32_t i = 0; i < npfn; i++)
			r->pfn[i] = cpu_to_le64(pfn + i);
		f->pkt.type = VSC_PKT_DATA_GPA_DIRECT;
		f->pkt.gpa.count = 1;
		f->pkt.gpa.pages = npfn;
		f->pkt.gpa.ranges = f->ranges;
		f->pkt.gpa.len = sizeof(*r) + 8 * npfn;
	}
	return vsp_vstor_handle(&f->ch, &f->pkt);
}

#endif /* VSP_TEST_SCSI_FIX_H */
