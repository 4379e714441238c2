// SPDX-License-Identifier: GPL-2.0
/*
 * VSTOR packets of vsc_storvsc, built and checked as pure functions
 * (proto.h). The host is not trusted: an answer is copied into a private
 * packet, every length is checked in subtract form against what this side
 * knows (the agreed version's packet size, the request's transfer length,
 * the sense buffer), and ids are looked up in the driver's table, never
 * dereferenced.
 */
#include "proto.h"

#include <vsc/ring.h>
#include <vsc/vmbus.h>

const u16 vsc_stor_versions[VSC_STOR_NR_VERSIONS] = {
	VSC_VSTOR_VERSION_WIN10,
	VSC_VSTOR_VERSION_WIN8_1,
	VSC_VSTOR_VERSION_WIN8,
};

#define VSC_STOR_PAGE		4096u

void vsc_stor_build(struct vsc_vstor_packet *p, u32 op)
{
	memset(p, 0, sizeof(*p));
	p->operation = cpu_to_le32(op);
	p->flags = cpu_to_le32(VSC_VSTOR_FLAG_REQUEST_COMPLETION);
}

void vsc_stor_build_version(struct vsc_vstor_packet *p, u16 version)
{
	vsc_stor_build(p, VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION);
	p->version.major_minor = cpu_to_le16(version);
}

void vsc_stor_build_subchannels(struct vsc_vstor_packet *p, u16 count)
{
	vsc_stor_build(p, VSC_VSTOR_OP_CREATE_SUB_CHANNELS);
	p->sub_channel_count = cpu_to_le16(count);
}

int vsc_stor_build_srb(struct vsc_vstor_packet *p,
		       const struct vsc_stor_srb_args *a)
{
	struct vsc_vstor_srb *s = &p->srb;
	u32 flags;

	if (!a->cdb_len || a->cdb_len > VSC_VSTOR_CDB_MAX)
		return -EINVAL;
	if (a->dir > VSC_VSTOR_DIR_UNKNOWN)
		return -EINVAL;
	if (a->target >= VSC_VSTOR_MAX_TARGETS || a->lun >= VSC_VSTOR_MAX_LUNS)
		return -EINVAL;
	vsc_stor_build(p, VSC_VSTOR_OP_EXECUTE_SRB);
	s->length = cpu_to_le16(sizeof(*s));
	s->port_number = a->port;
	s->path_id = a->path;
	s->target_id = a->target;
	s->lun = a->lun;
	s->cdb_length = a->cdb_len;
	s->sense_info_length = VSC_VSTOR_SENSE_SIZE;
	s->data_in = a->dir;
	s->data_transfer_length = cpu_to_le32(a->data_len);
	memcpy(s->cdb, a->cdb, a->cdb_len);
	s->queue_tag = VSC_SRB_UNTAGGED;
	s->queue_action = VSC_SRB_SIMPLE_TAG_REQUEST;
	flags = VSC_SRB_FLAGS_DISABLE_SYNCH_TRANSFER;
	if (a->dir == VSC_VSTOR_DIR_READ)
		flags |= VSC_SRB_FLAGS_DATA_IN;
	else if (a->dir == VSC_VSTOR_DIR_WRITE && a->data_len)
		flags |= VSC_SRB_FLAGS_DATA_OUT;
	s->srb_flags = cpu_to_le32(flags);
	s->time_out_value = cpu_to_le32(a->timeout);
	return 0;
}

int vsc_stor_init_reply(const void *buf, u32 len, struct vsc_vstor_packet *out,
			u32 *status)
{
	/* Init steps run before and during the version choice: full size. */
	if (len < sizeof(*out))
		return -EBADMSG;
	memcpy(out, buf, sizeof(*out));
	*status = le32_to_cpu(out->status);
	if (le32_to_cpu(out->operation) != VSC_VSTOR_OP_COMPLETE_IO)
		return -EBADMSG;
	if (*status == VSC_VSTOR_ST_REVISION_MISMATCH)
		return -EPROTONOSUPPORT;
	return *status ? -EIO : 0;
}

int vsc_stor_props_parse(const struct vsc_vstor_packet *p,
			 struct vsc_stor_props *out)
{
	u32 xfer = le32_to_cpu(p->props.max_transfer_bytes);
	u16 chans = le16_to_cpu(p->props.max_channel_cnt);

	xfer -= xfer % VSC_STOR_PAGE;
	if (!xfer)
		return -EINVAL;
	out->max_transfer = xfer;
	out->multi_channel = le32_to_cpu(p->props.flags) &
			     VSC_VSTOR_PROP_MULTI_CHANNEL;
	out->max_channels = out->multi_channel ?
		(chans < VSC_VSTOR_MAX_CHANNELS ? chans : VSC_VSTOR_MAX_CHANNELS) : 0;
	return 0;
}

u32 vsc_stor_worst_pkt(u32 max_xfer)
{
	/* An unaligned buffer touches one page more than its length needs. */
	u32 pfns = max_xfer / VSC_STOR_PAGE + 1;
	u32 len = sizeof(struct vsc_gpa_direct_header) +
		  sizeof(struct vsc_gpa_range) + pfns * sizeof(u64) +
		  sizeof(struct vsc_vstor_packet);

	return ((len + 7) & ~7u) + VSC_PKT_TRAILER_SIZE;
}

u32 vsc_stor_can_queue(u32 ring_bytes, u32 max_xfer)
{
	u32 n = ring_bytes / vsc_stor_worst_pkt(max_xfer);

	return n ? n : 1;
}

/* Unsolicited host packets: a header, and an operation we act on. */
static int vsc_stor_notify(const struct vsc_vstor_packet *p, u32 len,
			   struct vsc_stor_cpl *out)
{
	u32 op = le32_to_cpu(p->operation);

	if (len < VSC_VSTOR_HDR_SIZE)
		return -EBADMSG;
	if (op != VSC_VSTOR_OP_ENUMERATE_BUS && op != VSC_VSTOR_OP_REMOVE_DEVICE)
		return -EOPNOTSUPP;
	out->op = op;
	return VSC_STOR_CPL_NOTIFY;
}

int vsc_stor_cpl_parse(const struct vsc_stor_cpl_ctx *ctx, const void *buf,
		       u32 len, u64 trans_id, struct vsc_stor_cpl *out)
{
	struct vsc_vstor_packet p;
	const struct vsc_vstor_srb *s = &p.srb;
	u32 need = vsc_vstor_packet_size(ctx->version);
	u32 tag, code, moved;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	memcpy(&p, buf, len < sizeof(p) ? len : sizeof(p));
	if (!trans_id)
		return vsc_stor_notify(&p, len, out);

	if (len < need)
		return -EBADMSG;
	if ((u32)(trans_id >> 32) != ctx->gen || !(u32)trans_id)
		return -ESTALE;
	tag = (u32)trans_id - 1;
	if (!ctx->lookup(ctx->priv, tag, &out->requested))
		return -ENOENT;
	if (le32_to_cpu(p.operation) != VSC_VSTOR_OP_COMPLETE_IO)
		return -EBADMSG;

	out->op = VSC_VSTOR_OP_COMPLETE_IO;
	out->tag = tag;
	out->status = le32_to_cpu(p.status);
	out->srb_status = s->srb_status;
	out->scsi_status = s->scsi_status;
	code = VSC_SRB_STATUS_CODE(s->srb_status);
	/* A failed transport with a "successful" SRB is not believed. */
	if (out->status && code == VSC_SRB_STATUS_SUCCESS) {
		out->srb_status = VSC_SRB_STATUS_ERROR;
		code = VSC_SRB_STATUS_ERROR;
	}

	if (s->sense_info_length > vsc_vstor_sense_size(ctx->version))
		return -EBADMSG;
	if (out->scsi_status == 0x02 &&
	    (out->srb_status & VSC_SRB_STATUS_AUTOSENSE_VALID)) {
		out->sense_len = s->sense_info_length;
		memcpy(out->sense, s->sense_data, out->sense_len);
	}

	/* Only success and a short transfer say how much data moved. */
	moved = le32_to_cpu(s->data_transfer_length);
	if (code != VSC_SRB_STATUS_SUCCESS && code != VSC_SRB_STATUS_DATA_OVERRUN)
		moved = 0;
	if (moved > out->requested)
		return -EBADMSG;
	out->transferred = moved;
	return 0;
}

/* Sense key's additional code and qualifier, fixed or descriptor format. */
static void vsc_stor_asc(const struct vsc_stor_cpl *c, u8 *asc, u8 *ascq)
{
	u8 fmt = c->sense_len ? c->sense[0] & 0x7f : 0;

	*asc = 0;
	*ascq = 0;
	if ((fmt == 0x70 || fmt == 0x71) && c->sense_len >= 14) {
		*asc = c->sense[12];
		*ascq = c->sense[13];
	} else if ((fmt == 0x72 || fmt == 0x73) && c->sense_len >= 4) {
		*asc = c->sense[2];
		*ascq = c->sense[3];
	}
}

/**
 * vsc_stor_outcome() - map a checked completion to the midlayer's terms
 * @c: the completion, from vsc_stor_cpl_parse()
 * @opcode: the command's first CDB byte
 * @o: the outcome
 *
 * As Linux's storvsc does, with two differences: a short transfer
 * (DATA_OVERRUN without sense) completes with a residual instead of an
 * error, and codes Linux leaves unmapped are errors (BUSY is retried)
 * instead of looking like success.
 */
void vsc_stor_outcome(const struct vsc_stor_cpl *c, u8 opcode,
		      struct vsc_stor_outcome *o)
{
	u8 asc, ascq;

	memset(o, 0, sizeof(*o));
	o->resid = c->requested - c->transferred;
	switch (VSC_SRB_STATUS_CODE(c->srb_status)) {
	case VSC_SRB_STATUS_SUCCESS:
		o->verdict = VSC_STOR_DONE;
		return;
	case VSC_SRB_STATUS_DATA_OVERRUN:
	case VSC_SRB_STATUS_ERROR:
	case VSC_SRB_STATUS_ABORTED:
	case VSC_SRB_STATUS_INVALID_REQUEST:
	case VSC_SRB_STATUS_INTERNAL_ERROR:
	case VSC_SRB_STATUS_TIMEOUT:
	case VSC_SRB_STATUS_SELECTION_TIMEOUT:
	case VSC_SRB_STATUS_BUS_RESET:
		break;
	case VSC_SRB_STATUS_INVALID_LUN:
		o->verdict = VSC_STOR_NO_DEVICE;
		o->remove_lun = true;
		return;
	case VSC_SRB_STATUS_BUSY:
		o->verdict = VSC_STOR_BUSY;
		return;
	default:
		o->verdict = VSC_STOR_ERROR;
		return;
	}
	if (c->sense_len) {
		vsc_stor_asc(c, &asc, &ascq);
		/* capacity data or operating parameters have changed */
		if ((asc == 0x2a && ascq == 0x09) ||
		    (asc == 0x3f && ascq != 0x03 && ascq != 0x0e)) {
			o->verdict = VSC_STOR_REQUEUE;
			o->rescan = true;
			return;
		}
		o->verdict = VSC_STOR_DONE;
		return;
	}
	/* Hyper-V fails TEST UNIT READY while it scans: let the status say. */
	if (VSC_SRB_STATUS_CODE(c->srb_status) == VSC_SRB_STATUS_DATA_OVERRUN ||
	    opcode == 0x00)
		o->verdict = VSC_STOR_DONE;
	else
		o->verdict = VSC_STOR_ERROR;
}
