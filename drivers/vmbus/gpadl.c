// SPDX-License-Identifier: GPL-2.0
/*
 * GPADLs: handing the host a list of guest pages. One GPADL_HEADER with as
 * many PFNs as fit, then GPADL_BODY messages for the rest; the host answers
 * GPADL_CREATED. Teardown is GPADL_TEARDOWN, answered by GPADL_TORNDOWN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmbus_core.h"

#define VSC_VMBUS_GPADL_FIRST	0xe1e10

static u64 vsc_vmbus_pfn(u8 *kbuf, u32 off)
{
	void *p = kbuf + off;

	return is_vmalloc_addr(p) ? vmalloc_to_pfn(p) : PHYS_PFN(virt_to_phys(p));
}

static void vsc_vmbus_gpadl_wait_add(struct vsc_vmbus_conn *conn,
				     struct vsc_vmbus_gpadl_wait *w)
{
	init_completion(&w->done);
	spin_lock_irq(&conn->lock);
	list_add_tail(&w->node, &conn->gpadl_waits);
	spin_unlock_irq(&conn->lock);
}

static void vsc_vmbus_gpadl_wait_del(struct vsc_vmbus_conn *conn,
				     struct vsc_vmbus_gpadl_wait *w)
{
	spin_lock_irq(&conn->lock);
	list_del(&w->node);
	spin_unlock_irq(&conn->lock);
}

/*
 * Posts the GPADL's messages; @posted says whether the host got at least
 * the header (and so may hold part of the GPADL) when a post failed.
 */
static int vsc_vmbus_gpadl_send(struct vsc_vmbus_channel *ch, u8 *kbuf,
				u32 npages, u32 gpadl, bool *posted)
{
	u8 msg[VSC_HV_MESSAGE_PAYLOAD] __aligned(8);
	struct vsc_vmbus_gpadl_header *h = (void *)msg;
	struct vsc_vmbus_gpadl_body *b = (void *)msg;
	struct vsc_gpa_range *r = (void *)(h + 1);
	u32 n = min_t(u32, npages, VSC_VMBUS_GPADL_HEADER_PFNS), i, msgno = 0;
	int ret;

	memset(msg, 0, sizeof(msg));
	h->header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_HEADER);
	h->child_relid = cpu_to_le32(ch->relid);
	h->gpadl = cpu_to_le32(gpadl);
	h->range_buflen = cpu_to_le16(sizeof(*r) + npages * sizeof(__le64));
	h->rangecount = cpu_to_le16(1);
	r->byte_count = cpu_to_le32(npages << PAGE_SHIFT);
	r->byte_offset = 0;
	for (i = 0; i < n; i++)
		r->pfn[i] = cpu_to_le64(vsc_vmbus_pfn(kbuf, i << PAGE_SHIFT));
	ret = vsc_vmbus_post(ch->conn, msg, sizeof(*h) + sizeof(*r) + n * 8);
	*posted = !ret;

	while (!ret && i < npages) {
		u32 k;

		n = min_t(u32, npages - i, VSC_VMBUS_GPADL_BODY_PFNS);
		memset(msg, 0, sizeof(msg));
		b->header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_BODY);
		b->msgnumber = cpu_to_le32(++msgno);
		b->gpadl = cpu_to_le32(gpadl);
		for (k = 0; k < n; k++, i++)
			b->pfn[k] = cpu_to_le64(vsc_vmbus_pfn(kbuf, i << PAGE_SHIFT));
		ret = vsc_vmbus_post(ch->conn, msg, sizeof(*b) + n * sizeof(__le64));
	}
	return ret;
}

/* The largest GPADL whose range_buflen fits in 16 bits. */
#define VSC_VMBUS_GPADL_MAX_PAGES \
	((U16_MAX - sizeof(struct vsc_gpa_range)) / sizeof(__le64))

/**
 * vsc_vmbus_gpadl_create() - share a buffer with the host
 * @ch: the channel the GPADL belongs to
 * @kbuf: page-aligned kernel memory (linear or vmalloc)
 * @size: its size, a multiple of PAGE_SIZE
 * @gpadl: the handle, for the protocol messages that name the buffer
 *
 * May sleep; the time is bounded by the number of messages (a GPADL of
 * 31 MiB takes about 280) times the post's bounded back-off, plus one
 * answer's time-out. When a post fails after the header went, the host
 * holds part of the GPADL: it is torn down before this returns. On
 * -ETIMEDOUT the host may still hold the buffer: the caller must not free
 * it.
 *
 * Return: 0, -ENODEV if the channel was rescinded meanwhile (the buffer is
 * free again), or another negative errno.
 */
int vsc_vmbus_gpadl_create(struct vsc_vmbus_channel *ch, void *kbuf,
			   u32 size, u32 *gpadl)
{
	struct vsc_vmbus_conn *conn = ch->conn;
	struct vsc_vmbus_gpadl_wait w = { .relid = ch->relid };
	u32 npages = size >> PAGE_SHIFT;
	bool posted = false;
	int ret;

	if (!size || !PAGE_ALIGNED(size) || !PAGE_ALIGNED(kbuf) ||
	    npages > VSC_VMBUS_GPADL_MAX_PAGES)
		return -EINVAL;
	spin_lock_irq(&conn->lock);
	w.gpadl = conn->next_gpadl++;
	if (!conn->next_gpadl)
		conn->next_gpadl = VSC_VMBUS_GPADL_FIRST;
	spin_unlock_irq(&conn->lock);

	vsc_vmbus_gpadl_wait_add(conn, &w);
	/* A rescind from now on marks the wait; before, tell here. */
	ret = READ_ONCE(ch->rescinded) ? -ENODEV :
	      vsc_vmbus_gpadl_send(ch, kbuf, npages, w.gpadl, &posted);
	if (!ret && !wait_for_completion_timeout(&w.done, VSC_VMBUS_REPLY_TIMEOUT))
		ret = -ETIMEDOUT;
	vsc_vmbus_gpadl_wait_del(conn, &w);
	if (ret && ret != -ETIMEDOUT && posted) {
		dev_warn(&ch->vdev->dev, "GPADL %#x of %u pages failed halfway (%d): tearing it down\n",
			 w.gpadl, npages, ret);
		/* Not torn down: the host may hold the pages. */
		if (vsc_vmbus_gpadl_teardown(ch, w.gpadl))
			return -ETIMEDOUT;
		return ret;
	}
	if (!ret && w.gone)
		ret = -ENODEV;
	if (ret)
		return ret;
	if (w.status) {
		dev_err(&ch->vdev->dev, "host refused GPADL %#x: %#x\n", w.gpadl,
			w.status);
		return -EIO;
	}
	*gpadl = w.gpadl;
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_gpadl_create);

/**
 * vsc_vmbus_gpadl_teardown() - take a buffer back from the host
 * @ch: the channel the GPADL was created on
 * @gpadl: its handle
 *
 * May sleep. Return: 0 once the host has released the buffer (free it
 * then); a negative errno otherwise, and the buffer must not be freed. On a
 * rescinded channel nothing is sent: the host gave up the channel's GPADLs
 * with the channel, and 0 is returned.
 */
int vsc_vmbus_gpadl_teardown(struct vsc_vmbus_channel *ch, u32 gpadl)
{
	struct vsc_vmbus_conn *conn = ch->conn;
	struct vsc_vmbus_gpadl_wait w = {
		.relid = ch->relid, .gpadl = gpadl, .teardown = true,
	};
	struct vsc_vmbus_gpadl_teardown m = {
		.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_GPADL_TEARDOWN),
		.child_relid = cpu_to_le32(ch->relid),
		.gpadl = cpu_to_le32(gpadl),
	};
	int ret;

	if (READ_ONCE(ch->rescinded))
		return 0;
	vsc_vmbus_gpadl_wait_add(conn, &w);
	ret = vsc_vmbus_post(conn, &m, sizeof(m));
	if (!ret && !wait_for_completion_timeout(&w.done, VSC_VMBUS_REPLY_TIMEOUT))
		ret = -ETIMEDOUT;
	vsc_vmbus_gpadl_wait_del(conn, &w);
	return w.gone ? 0 : ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_gpadl_teardown);

/**
 * vsc_vmbus_gpadl_answer() - the host answered a GPADL request
 * @conn: the connection
 * @m: the parsed GPADL_CREATED or GPADL_TORNDOWN
 *
 * An answer nobody waits for is reported and ignored.
 */
void vsc_vmbus_gpadl_answer(struct vsc_vmbus_conn *conn,
			    const struct vsc_vmbus_hmsg *m)
{
	bool teardown = m->type == VSC_VMBUS_MSG_GPADL_TORNDOWN;
	struct vsc_vmbus_gpadl_wait *w;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	list_for_each_entry(w, &conn->gpadl_waits, node) {
		if (w->gpadl != m->gpadl || w->teardown != teardown ||
		    (!teardown && w->relid != m->relid) || completion_done(&w->done))
			continue;
		w->status = m->status;
		complete(&w->done);
		spin_unlock_irqrestore(&conn->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	dev_notice_ratelimited(conn->dev, "%s for GPADL %#x never asked for\n",
			       vsc_vmbus_msg_name(m->type), m->gpadl);
}

/**
 * vsc_vmbus_gpadl_rescinded() - wake the GPADL waiters of a rescinded channel
 * @conn: the connection; the caller holds @conn->lock
 * @relid: the channel
 *
 * The host answers nothing about a rescinded channel's GPADLs.
 */
void vsc_vmbus_gpadl_rescinded(struct vsc_vmbus_conn *conn, u32 relid)
{
	struct vsc_vmbus_gpadl_wait *w;

	lockdep_assert_held(&conn->lock);
	list_for_each_entry(w, &conn->gpadl_waits, node) {
		if (w->relid != relid || completion_done(&w->done))
			continue;
		w->gone = true;
		complete(&w->done);
	}
}
