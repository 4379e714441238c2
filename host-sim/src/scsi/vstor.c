// SPDX-License-Identifier: GPL-2.0
/*
 * The VSTOR server (vstor.h). A packet is copied out of the ring buffer
 * before this sees it; every field is checked here before any is used. A
 * rule the guest breaks is answered (so that it does not wait forever),
 * counted, and named in v->why for the strict referee.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsc/scsi.h>

#include "vstor.h"

#define VSP_PAGE	VSC_RING_GPA_PAGE_SIZE
/* path_id: Linux numbers its SCSI channels 0..7 and scans each. */
#define VSP_MAX_PATHS	8

struct vsp_vstor_req {
	struct vsp_scsi_cmd cmd;
	struct vsp_vstor_chan *ch;
	uint64_t trans_id;
	struct vsc_vstor_packet pkt;	/* the request, then the answer */
	struct iovec iov[];
};

int vsp_vstor_init(struct vsp_vstor *v, const struct vsp_vstor_cfg *cfg,
		   const struct vsp_vstor_ops *ops, void *priv)
{
	if (!cfg->max_transfer || cfg->max_transfer % VSP_PAGE ||
	    cfg->max_subchannels > VSC_VSTOR_MAX_CHANNELS)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->cfg = *cfg;
	if (!v->cfg.max_version)
		v->cfg.max_version = VSC_VSTOR_VERSION_WIN10;
	v->ops = ops;
	v->priv = priv;
	return 0;
}

int vsp_vstor_add_lun(struct vsp_vstor *v, uint8_t t, uint8_t l,
		      struct vsp_disk *d)
{
	if (t >= VSC_VSTOR_MAX_TARGETS || l >= VSC_VSTOR_MAX_LUNS)
		return -EINVAL;
	if (v->lun[t][l])
		return -EEXIST;
	v->lun[t][l] = d;
	return 0;
}

void vsp_vstor_enumerate_pkt(struct vsc_vstor_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->operation = cpu_to_le32(VSC_VSTOR_OP_ENUMERATE_BUS);
}

static int vsp_reject(struct vsp_vstor *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int vsp_reject(struct vsp_vstor *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	v->rejected++;
	return VSP_VSTOR_REJECTED;
}

static uint32_t vsp_pkt_size(const struct vsp_vstor *v)
{
	return vsc_vstor_packet_size(v->version);
}

/* Answers a non-SRB packet with @status (an NTSTATUS). */
static void vsp_reply(struct vsp_vstor_chan *ch, uint64_t id, uint32_t status,
		      const struct vsc_vstor_props *props)
{
	struct vsc_vstor_packet p;

	memset(&p, 0, sizeof(p));
	p.operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	p.status = cpu_to_le32(status);
	if (props)
		p.props = *props;
	ch->v->ops->send(ch->priv, id, &p, vsp_pkt_size(ch->v));
}

static int vsp_version(struct vsp_vstor_chan *ch, uint64_t id,
		       const struct vsc_vstor_packet *p)
{
	struct vsp_vstor *v = ch->v;
	uint16_t ver = le16_to_cpu(p->version.major_minor);
	bool ok = ver == VSC_VSTOR_VERSION_WIN10 ||
		  ver == VSC_VSTOR_VERSION_WIN8_1 || ver == VSC_VSTOR_VERSION_WIN8;

	if (v->state == VSP_VSTOR_NEW || v->state == VSP_VSTOR_READY) {
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_DEVICE_STATE, NULL);
		return vsp_reject(v, "version query in state %d", v->state);
	}
	/* A version we do not speak is refused; the guest tries the next. */
	if (!ok || ver > v->cfg.max_version) {
		vsp_reply(ch, id, VSC_VSTOR_ST_REVISION_MISMATCH, NULL);
		return 0;
	}
	v->version = ver;
	v->state = VSP_VSTOR_VERSIONED;
	vsp_reply(ch, id, VSC_VSTOR_ST_SUCCESS, NULL);
	return 0;
}

static int vsp_properties(struct vsp_vstor_chan *ch, uint64_t id)
{
	struct vsp_vstor *v = ch->v;
	struct vsc_vstor_props pr;

	if (v->state != VSP_VSTOR_VERSIONED) {
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_DEVICE_STATE, NULL);
		return vsp_reject(v, "properties before a version");
	}
	memset(&pr, 0, sizeof(pr));
	pr.max_channel_cnt = cpu_to_le16(v->cfg.max_subchannels);
	pr.flags = cpu_to_le32(v->cfg.max_subchannels ?
			       VSC_VSTOR_PROP_MULTI_CHANNEL : 0);
	pr.max_transfer_bytes = cpu_to_le32(v->cfg.max_transfer);
	vsp_reply(ch, id, VSC_VSTOR_ST_SUCCESS, &pr);
	return 0;
}

static int vsp_subchannels(struct vsp_vstor_chan *ch, uint64_t id,
			   const struct vsc_vstor_packet *p)
{
	struct vsp_vstor *v = ch->v;
	uint16_t n = le16_to_cpu(p->sub_channel_count);

	if (v->state != VSP_VSTOR_READY || !ch->primary || v->subchannels_done ||
	    !n || n > v->cfg.max_subchannels) {
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_PARAMETER, NULL);
		return vsp_reject(v, "sub-channel request for %u", n);
	}
	if (v->ops->subchannels(v->priv, n)) {
		vsp_reply(ch, id, VSC_VSTOR_ST_UNSUCCESSFUL, NULL);
		return 0;
	}
	v->subchannels_done = true;
	vsp_reply(ch, id, VSC_VSTOR_ST_SUCCESS, NULL);
	return 0;
}

/* One SRB of the channel less; a waiting reset is answered at the last. */
static void vsp_srb_retire(struct vsp_vstor_chan *ch)
{
	if (--ch->inflight || !ch->reset_pending)
		return;
	ch->reset_pending = false;
	vsp_reply(ch, ch->reset_id, VSC_VSTOR_ST_SUCCESS, NULL);
}

/* Answers a finished SRB: statuses, sense, bytes moved. */
static void vsp_srb_done(struct vsp_scsi_cmd *cmd)
{
	struct vsp_vstor_req *r = cmd->priv;
	struct vsp_vstor_chan *ch = r->ch;
	struct vsc_vstor_srb *s = &r->pkt.srb;
	uint8_t room = s->sense_info_length;

	r->pkt.operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	r->pkt.flags = 0;
	r->pkt.status = 0;
	memset(s->sense_data, 0, sizeof(s->sense_data));
	s->scsi_status = cmd->status;
	s->srb_status = VSC_SRB_STATUS_SUCCESS;
	s->sense_info_length = 0;
	if (cmd->status == VSC_SCSI_STATUS_CHECK_CONDITION) {
		s->srb_status = VSC_SRB_STATUS_ERROR;
		if (cmd->sense_len && room) {
			s->sense_info_length = cmd->sense_len < room ?
					       cmd->sense_len : room;
			memcpy(s->sense_data, cmd->sense, s->sense_info_length);
			s->srb_status |= VSC_SRB_STATUS_AUTOSENSE_VALID;
		}
	}
	s->data_transfer_length = cpu_to_le32(cmd->transferred);
	ch->v->ops->send(ch->priv, r->trans_id, &r->pkt, vsp_pkt_size(ch->v));
	free(r);
	vsp_srb_retire(ch);
}

/* An SRB refused before the disk saw it. */
static void vsp_srb_fail(struct vsp_vstor_chan *ch, uint64_t id,
			 const struct vsc_vstor_packet *req, uint8_t srb)
{
	struct vsc_vstor_packet p = *req;

	p.operation = cpu_to_le32(VSC_VSTOR_OP_COMPLETE_IO);
	p.flags = 0;
	p.status = 0;
	memset(p.srb.sense_data, 0, sizeof(p.srb.sense_data));
	p.srb.srb_status = srb;
	p.srb.scsi_status = 0;
	p.srb.sense_info_length = 0;
	p.srb.data_transfer_length = 0;
	ch->v->ops->send(ch->priv, id, &p, vsp_pkt_size(ch->v));
}

/*
 * Maps the packet's one GPA range of @len bytes into r->iov; returns the
 * number of iovecs, or -1 with v->why set.
 */
static int vsp_map_data(struct vsp_vstor *v, const struct vsc_ring_pkt *pkt,
			uint32_t len, struct vsp_vstor_req *r)
{
	struct vsc_ring_gpa_iter it;
	const struct vsc_gpa_range *g;
	uint32_t npfn, off, cnt, n = 0;

	vsc_ring_gpa_iter_init(&it, pkt);
	g = vsc_ring_gpa_next(&it, &npfn);
	if (!g || pkt->gpa.count != 1) {
		vsp_reject(v, "%u GPA ranges, want 1", pkt->gpa.count);
		return -1;
	}
	off = le32_to_cpu(g->byte_offset);
	cnt = le32_to_cpu(g->byte_count);
	if (cnt != len || off >= VSP_PAGE || npfn != vsc_ring_gpa_pfns(off, cnt)) {
		vsp_reject(v, "GPA range %u+%u in %u pages for %u bytes",
			   off, cnt, npfn, len);
		return -1;
	}
	for (uint32_t i = 0, left = len; i < npfn; i++) {
		uint64_t pfn = le64_to_cpu(g->pfn[i]);
		uint32_t o = i ? 0 : off;
		uint32_t k = VSP_PAGE - o < left ? VSP_PAGE - o : left;
		uint8_t *h;

		h = pfn >> 52 ? NULL : v->ops->map(v->priv, pfn * VSP_PAGE + o, k);
		if (!h) {
			vsp_reject(v, "PFN %#llx outside guest RAM",
				   (unsigned long long)pfn);
			return -1;
		}
		/* Pages next to each other in host memory share an iovec. */
		if (n && (uint8_t *)r->iov[n - 1].iov_base +
			 r->iov[n - 1].iov_len == h) {
			r->iov[n - 1].iov_len += k;
		} else {
			r->iov[n].iov_base = h;
			r->iov[n].iov_len = k;
			n++;
		}
		left -= k;
	}
	return (int)n;
}

/* Checks the SRB's fields; 0, or the SRB status to answer with. */
static uint8_t vsp_srb_check(struct vsp_vstor *v, const struct vsc_ring_pkt *pkt,
			     const struct vsc_vstor_srb *s)
{
	uint32_t len = le32_to_cpu(s->data_transfer_length);
	bool gpa = pkt->type == VSC_PKT_DATA_GPA_DIRECT;

	if (le16_to_cpu(s->length) != sizeof(*s))
		vsp_reject(v, "SRB length %u", le16_to_cpu(s->length));
	else if (!s->cdb_length || s->cdb_length > VSC_VSTOR_CDB_MAX)
		vsp_reject(v, "CDB length %u", s->cdb_length);
	else if (s->data_in > VSC_VSTOR_DIR_UNKNOWN)
		vsp_reject(v, "direction %u", s->data_in);
	else if (s->sense_info_length > vsc_vstor_sense_size(v->version))
		vsp_reject(v, "sense length %u", s->sense_info_length);
	else if (s->path_id >= VSP_MAX_PATHS || s->target_id >= VSC_VSTOR_MAX_TARGETS ||
		 s->lun >= VSC_VSTOR_MAX_LUNS)
		vsp_reject(v, "address %u:%u:%u", s->path_id, s->target_id, s->lun);
	else if (len > v->cfg.max_transfer)
		vsp_reject(v, "transfer of %u bytes", len);
	else if (!len != !gpa)
		vsp_reject(v, "%u bytes with%s a GPA list", len, gpa ? "" : "out");
	else
		return 0;
	return VSC_SRB_STATUS_INVALID_REQUEST;
}

static enum vsp_dir vsp_srb_dir(const struct vsc_vstor_srb *s, uint32_t len)
{
	if (!len)
		return VSP_DIR_NONE;
	if (s->data_in == VSC_VSTOR_DIR_READ)
		return VSP_DIR_IN;
	return s->data_in == VSC_VSTOR_DIR_WRITE ? VSP_DIR_OUT : VSP_DIR_ANY;
}

/* Sends the command to its LUN, or answers for a LUN that is not there. */
static void vsp_srb_route(struct vsp_vstor_chan *ch, struct vsp_vstor_req *r)
{
	const struct vsc_vstor_srb *s = &r->pkt.srb;
	struct vsp_disk *d = NULL, **tgt = NULL;
	uint16_t luns[VSC_VSTOR_MAX_LUNS];
	uint32_t n = 0;

	if (!s->path_id) {
		tgt = ch->v->lun[s->target_id];
		d = tgt[s->lun];
		for (uint32_t l = 0; l < VSC_VSTOR_MAX_LUNS; l++)
			if (tgt[l])
				luns[n++] = (uint16_t)l;
	}
	if (n && r->cmd.cdb[0] == VSC_SCSI_REPORT_LUNS) {
		vsp_scsi_report_luns(&r->cmd, luns, n);
		vsp_srb_done(&r->cmd);
	} else if (d) {
		vsp_disk_submit(d, ch->q, &r->cmd);
	} else if (n && r->cmd.cdb[0] == VSC_SCSI_INQUIRY) {
		vsp_scsi_no_lun(&r->cmd);
		vsp_srb_done(&r->cmd);
	} else {
		/* Nothing at this address: the guest drops the LUN. */
		vsp_srb_fail(ch, r->trans_id, &r->pkt, VSC_SRB_STATUS_INVALID_LUN);
		free(r);
		vsp_srb_retire(ch);
	}
}

static int vsp_execute_srb(struct vsp_vstor_chan *ch, const struct vsc_ring_pkt *pkt,
			   const struct vsc_vstor_packet *p)
{
	struct vsp_vstor *v = ch->v;
	const struct vsc_vstor_srb *s = &p->srb;
	uint32_t len = le32_to_cpu(s->data_transfer_length);
	struct vsp_vstor_req *r;
	uint8_t bad;
	int n = 0;

	if (v->state != VSP_VSTOR_READY) {
		vsp_srb_fail(ch, pkt->trans_id, p, VSC_SRB_STATUS_INVALID_REQUEST);
		return vsp_reject(v, "SRB before the end of initialization");
	}
	bad = vsp_srb_check(v, pkt, s);
	if (bad) {
		vsp_srb_fail(ch, pkt->trans_id, p, bad);
		return VSP_VSTOR_REJECTED;
	}
	/* One iovec a page at most: the range was checked against len. */
	r = calloc(1, sizeof(*r) + (len / VSP_PAGE + 2) * sizeof(struct iovec));
	if (!r) {
		vsp_srb_fail(ch, pkt->trans_id, p, VSC_SRB_STATUS_BUSY);
		return 0;
	}
	r->pkt = *p;
	r->ch = ch;
	r->trans_id = pkt->trans_id;
	if (len)
		n = vsp_map_data(v, pkt, len, r);
	if (n < 0) {
		vsp_srb_fail(ch, pkt->trans_id, p, VSC_SRB_STATUS_INVALID_REQUEST);
		free(r);
		return VSP_VSTOR_REJECTED;
	}
	memcpy(r->cmd.cdb, s->cdb, s->cdb_length);
	r->cmd.cdb_len = s->cdb_length;
	r->cmd.dir = vsp_srb_dir(s, len);
	r->cmd.iov = r->iov;
	r->cmd.iovcnt = (uint32_t)n;
	r->cmd.xfer_len = len;
	r->cmd.done = vsp_srb_done;
	r->cmd.priv = r;
	ch->inflight++;
	vsp_srb_route(ch, r);
	return 0;
}

int vsp_vstor_handle(struct vsp_vstor_chan *ch, const struct vsc_ring_pkt *pkt)
{
	struct vsp_vstor *v = ch->v;
	struct vsc_vstor_packet p;
	uint64_t id = pkt->trans_id;
	uint32_t op;

	if (pkt->type != VSC_PKT_DATA_INBAND && pkt->type != VSC_PKT_DATA_GPA_DIRECT) {
		vsp_reject(v, "packet type %u", pkt->type);
		return -EBADMSG;
	}
	if (pkt->data_len < VSC_VSTOR_HDR_SIZE) {
		vsp_reject(v, "packet of %u bytes", pkt->data_len);
		return -EBADMSG;
	}
	memset(&p, 0, sizeof(p));
	memcpy(&p, pkt->data, pkt->data_len < sizeof(p) ? pkt->data_len : sizeof(p));
	op = le32_to_cpu(p.operation);
	if (pkt->data_len < vsp_pkt_size(v)) {
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_PARAMETER, NULL);
		return vsp_reject(v, "op %u in %u bytes", op, pkt->data_len);
	}
	if (op == VSC_VSTOR_OP_EXECUTE_SRB)
		return vsp_execute_srb(ch, pkt, &p);
	if (pkt->type != VSC_PKT_DATA_INBAND) {
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_PARAMETER, NULL);
		return vsp_reject(v, "op %u with a GPA list", op);
	}
	switch (op) {
	case VSC_VSTOR_OP_BEGIN_INITIALIZATION:
		if (!ch->primary || ch->inflight)
			break;
		/* A new driver (after kexec, say) starts over. */
		v->state = VSP_VSTOR_BEGUN;
		v->version = 0;
		v->subchannels_done = false;
		vsp_reply(ch, id, VSC_VSTOR_ST_SUCCESS, NULL);
		return 0;
	case VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION:
		return vsp_version(ch, id, &p);
	case VSC_VSTOR_OP_QUERY_PROPERTIES:
		return vsp_properties(ch, id);
	case VSC_VSTOR_OP_END_INITIALIZATION:
		if (v->state != VSP_VSTOR_VERSIONED)
			break;
		v->state = VSP_VSTOR_READY;
		vsp_reply(ch, id, VSC_VSTOR_ST_SUCCESS, NULL);
		return 0;
	case VSC_VSTOR_OP_CREATE_SUB_CHANNELS:
		return vsp_subchannels(ch, id, &p);
	case VSC_VSTOR_OP_RESET_LUN:
	case VSC_VSTOR_OP_RESET_BUS:
	case VSC_VSTOR_OP_RESET_ADAPTER:
		/* I/O cannot be called back: answer when it has finished. */
		if (ch->reset_pending)
			break;
		if (!ch->inflight) {
			vsp_reply(ch, id, VSC_VSTOR_ST_SUCCESS, NULL);
			return 0;
		}
		ch->reset_pending = true;
		ch->reset_id = id;
		return 0;
	case VSC_VSTOR_OP_FCHBA_DATA:
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_DEVICE_REQUEST, NULL);
		return 0;
	default:
		vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_DEVICE_REQUEST, NULL);
		return vsp_reject(v, "operation %u", op);
	}
	vsp_reply(ch, id, VSC_VSTOR_ST_INVALID_DEVICE_STATE, NULL);
	return vsp_reject(v, "operation %u in state %d", op, v->state);
}
