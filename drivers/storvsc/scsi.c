// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_storvsc and the SCSI midlayer: a command becomes one EXECUTE_SRB
 * packet whose data goes by GPA direct (the scatterlist's pages, no copy);
 * a completion, once proto.c has checked every field of it, becomes the
 * command's host byte, SCSI status, sense data and residual.
 *
 * Request ids are generation << 32 | (unique tag + 1): the block layer's
 * unique tag names a command across all hardware queues, so a completion
 * finds its command by id alone, on whichever channel it arrives.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/scatterlist.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_tcq.h>

#include "storvsc.h"

/* Bit 0 of vsc_stor_req.inflight. */
#define VSC_STOR_INFLIGHT	0

static bool vsc_stor_lookup(void *priv, u32 tag, u32 *data_len)
{
	struct vsc_stor *s = priv;
	struct scsi_cmnd *cmd;
	struct vsc_stor_req *r;

	/* Bounds-checks the queue and the tag; NULL if neither exists. */
	cmd = scsi_host_find_tag(s->shost, tag);
	if (!cmd)
		return false;
	r = scsi_cmd_priv(cmd);
	if (!test_bit(VSC_STOR_INFLIGHT, &r->inflight))
		return false;
	*data_len = r->data_len;
	return true;
}

/* Takes a command back from the host; false if someone else did. */
static struct scsi_cmnd *vsc_stor_claim(struct vsc_stor *s, u32 tag)
{
	struct scsi_cmnd *cmd = scsi_host_find_tag(s->shost, tag);
	struct vsc_stor_req *r;

	if (!cmd)
		return NULL;
	r = scsi_cmd_priv(cmd);
	if (!test_and_clear_bit(VSC_STOR_INFLIGHT, &r->inflight))
		return NULL;
	return cmd;
}

static const u8 vsc_stor_host_byte[] = {
	[VSC_STOR_DONE] = DID_OK,
	[VSC_STOR_ERROR] = DID_ERROR,
	[VSC_STOR_NO_DEVICE] = DID_NO_CONNECT,
	[VSC_STOR_REQUEUE] = DID_REQUEUE,
	[VSC_STOR_BUSY] = DID_BUS_BUSY,
};

static void vsc_stor_finish(struct vsc_stor *s, struct scsi_cmnd *cmd,
			    const struct vsc_stor_cpl *c)
{
	struct vsc_stor_outcome o;

	vsc_stor_outcome(c, cmd->cmnd[0], &o);
	set_host_byte(cmd, vsc_stor_host_byte[o.verdict]);
	set_status_byte(cmd, c->scsi_status);
	if (c->sense_len)
		memcpy(cmd->sense_buffer, c->sense,
		       min_t(u32, c->sense_len, SCSI_SENSE_BUFFERSIZE));
	scsi_set_resid(cmd, o.resid);
	if (o.rescan || o.remove_lun)
		schedule_work(&s->rescan);
	scsi_done(cmd);
}

/**
 * vsc_stor_complete() - a packet from the host that is not a control answer
 * @s: the controller
 * @buf: its payload, in the channel's receive buffer
 * @len: bytes of @buf
 * @trans_id: its transaction id
 *
 * A completion of a command in flight completes it; a malformed one fails
 * the command it names, if any; a notification of changed LUNs rescans.
 * Anything else is logged (rate-limited) and dropped.
 */
void vsc_stor_complete(struct vsc_stor *s, const void *buf, u32 len,
		       u64 trans_id)
{
	struct vsc_stor_cpl_ctx ctx = {
		.version = s->version,
		.gen = READ_ONCE(s->gen),
		.lookup = vsc_stor_lookup,
		.priv = s,
	};
	struct device *dev = &s->vdev->dev;
	struct vsc_stor_cpl c;
	struct scsi_cmnd *cmd;
	int ret;

	ret = vsc_stor_cpl_parse(&ctx, buf, len, trans_id, &c);
	switch (ret) {
	case 0:
		cmd = vsc_stor_claim(s, c.tag);
		if (cmd)
			vsc_stor_finish(s, cmd, &c);
		return;
	case VSC_STOR_CPL_NOTIFY:
		schedule_work(&s->rescan);
		return;
	case -EOPNOTSUPP:
		dev_warn_ratelimited(dev, "host notification %#x ignored\n",
				     le32_to_cpu(*(const __le32 *)buf));
		return;
	case -ESTALE:
	case -ENOENT:
		dev_err_ratelimited(dev, "completion for id %#llx, not in flight: dropped\n",
				    trans_id);
		return;
	default:
		break;
	}
	/* Malformed: fail the command it names, if it names one of ours. */
	dev_err_ratelimited(dev, "malformed completion (%u bytes) for id %#llx\n",
			    len, trans_id);
	if ((u32)(trans_id >> 32) != ctx.gen || !(u32)trans_id)
		return;
	cmd = vsc_stor_claim(s, (u32)trans_id - 1);
	if (cmd) {
		set_host_byte(cmd, DID_ERROR);
		scsi_done(cmd);
	}
}

static bool vsc_stor_fail_one(struct scsi_cmnd *cmd, void *data)
{
	struct vsc_stor_req *r = scsi_cmd_priv(cmd);

	if (test_and_clear_bit(VSC_STOR_INFLIGHT, &r->inflight)) {
		set_host_byte(cmd, *(int *)data);
		scsi_done(cmd);
	}
	return true;
}

/**
 * vsc_stor_fail_all() - complete every command the host has, with an error
 * @s: the controller
 * @host_byte: the DID_* to complete them with
 *
 * For a host that rescinded the controller or broke its channel: it will
 * not answer, and must not write into the commands' pages any more.
 */
void vsc_stor_fail_all(struct vsc_stor *s, int host_byte)
{
	if (s->shost)
		scsi_host_busy_iter(s->shost, vsc_stor_fail_one, &host_byte);
}

/*
 * The GPA-direct range of a command: one range over its pages. The block
 * layer keeps to the virtual boundary (virt_boundary_mask), so every
 * element but the first starts a page and every one but the last ends one;
 * a list that does not is refused rather than sent wrong.
 */
static int vsc_stor_map(struct scsi_cmnd *cmd, struct vsc_stor_req *r,
			u32 *ranges_len)
{
	struct vsc_gpa_range *rg = (void *)(r->gpa + sizeof(struct vsc_gpa_direct_header));
	unsigned int nents = scsi_sg_count(cmd), i, k, pages, n = 0;
	struct scatterlist *sg;
	u32 first = 0, total = 0;

	BUILD_BUG_ON(PAGE_SIZE != 4096);	/* Hyper-V's page */
	for_each_sg(scsi_sglist(cmd), sg, nents, i) {
		u32 off = sg->offset & ~PAGE_MASK;
		u64 pfn = page_to_pfn(sg_page(sg)) + (sg->offset >> PAGE_SHIFT);

		if ((i && off) || (i + 1 < nents && (off + sg->length) & ~PAGE_MASK))
			return -EINVAL;
		if (!i)
			first = off;
		pages = DIV_ROUND_UP(off + sg->length, PAGE_SIZE);
		if (pages > VSC_STOR_MAX_PFNS - n)
			return -EINVAL;
		for (k = 0; k < pages; k++)
			rg->pfn[n++] = cpu_to_le64(pfn + k);
		total += sg->length;
	}
	if (!n || total != scsi_bufflen(cmd))
		return -EINVAL;
	rg->byte_count = cpu_to_le32(total);
	rg->byte_offset = cpu_to_le32(first);
	*ranges_len = sizeof(struct vsc_gpa_direct_header) + sizeof(*rg) +
		      n * sizeof(u64);
	return 0;
}

static void vsc_stor_fail_now(struct scsi_cmnd *cmd, int host_byte)
{
	set_host_byte(cmd, host_byte);
	scsi_done(cmd);
}

static int vsc_stor_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *cmd)
{
	struct vsc_stor *s = shost_priv(shost);
	struct vsc_stor_req *r = scsi_cmd_priv(cmd);
	struct scsi_device *sdev = cmd->device;
	u32 tag = blk_mq_unique_tag(scsi_cmd_to_rq(cmd));
	struct vsc_stor_srb_args a = {
		.port = shost->host_no,
		.path = sdev->channel,
		.target = sdev->id,
		.lun = sdev->lun,
		.cdb = cmd->cmnd,
		.cdb_len = cmd->cmd_len,
		.data_len = scsi_bufflen(cmd),
		.timeout = scsi_cmd_to_rq(cmd)->timeout / HZ,
	};
	u32 plen = vsc_vstor_packet_size(s->version), rlen;
	u64 id = vsc_stor_rqst_id(READ_ONCE(s->gen), tag);
	int ret;

	if (READ_ONCE(s->gone)) {
		vsc_stor_fail_now(cmd, DID_NO_CONNECT);
		return 0;
	}
	switch (cmd->sc_data_direction) {
	case DMA_TO_DEVICE:
		a.dir = VSC_VSTOR_DIR_WRITE;
		break;
	case DMA_FROM_DEVICE:
		a.dir = VSC_VSTOR_DIR_READ;
		break;
	case DMA_NONE:
		a.dir = VSC_VSTOR_DIR_UNKNOWN;
		break;
	default:
		vsc_stor_fail_now(cmd, DID_ERROR);
		return 0;
	}
	if (vsc_stor_build_srb(&r->pkt, &a)) {
		vsc_stor_fail_now(cmd, DID_ERROR);
		return 0;
	}
	r->data_len = a.data_len;
	if (a.data_len && vsc_stor_map(cmd, r, &rlen)) {
		scmd_printk(KERN_ERR, cmd, "scatterlist off the page boundary\n");
		vsc_stor_fail_now(cmd, DID_ERROR);
		return 0;
	}
	set_bit(VSC_STOR_INFLIGHT, &r->inflight);
	if (a.data_len)
		ret = vsc_vmbus_send_gpa(s->ch, r->gpa, rlen, 1, &r->pkt, plen, id);
	else
		ret = vsc_vmbus_send(s->ch, &r->pkt, plen, id, true);
	if (!ret)
		return 0;
	/* Not sent: the command is still ours, unless a rescind took it. */
	if (!test_and_clear_bit(VSC_STOR_INFLIGHT, &r->inflight))
		return 0;
	if (ret == -EAGAIN || ret == -ENOSPC)
		return SCSI_MLQUEUE_HOST_BUSY;
	vsc_stor_fail_now(cmd, DID_NO_CONNECT);
	return 0;
}

static int vsc_stor_host_reset(struct scsi_cmnd *cmd)
{
	struct vsc_stor *s = shost_priv(cmd->device->host);

	scmd_printk(KERN_WARNING, cmd, "resetting the bus\n");
	return vsc_stor_reset(s) ? FAILED : SUCCESS;
}

struct scsi_host_template vsc_stor_template = {
	.module = THIS_MODULE,
	.name = "vsc_storvsc",
	.proc_name = "vsc_storvsc",
	.queuecommand = vsc_stor_queuecommand,
	.eh_host_reset_handler = vsc_stor_host_reset,
	.this_id = -1,
	.can_queue = 1,			/* set per controller from its ring */
	.sg_tablesize = VSC_STOR_MAX_PFNS,
	.max_sectors = VSC_STOR_MAX_XFER >> SECTOR_SHIFT,
	.virt_boundary_mask = PAGE_SIZE - 1,
	.cmd_size = sizeof(struct vsc_stor_req),
	/* Zeroing goes as WRITE ZEROES by plain writes; discard as UNMAP. */
	.no_write_same = 1,
};
