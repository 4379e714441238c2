// SPDX-License-Identifier: GPL-2.0
/*
 * Channel open and close, and the data path: sending into the outbound
 * ring, receiving from the inbound one in the channel's tasklet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"
#include "trace.h"

static void vsc_vmbus_signal_out(struct vsc_ring *ring)
{
	struct vsc_vmbus_channel *ch = container_of(ring, struct vsc_vmbus_channel, out);

	vsc_hc_signal_event(ch->sig_conn_id, 0);
}

static void vsc_vmbus_signal_in(struct vsc_ring *ring)
{
	struct vsc_vmbus_channel *ch = container_of(ring, struct vsc_vmbus_channel, in);

	vsc_hc_signal_event(ch->sig_conn_id, 0);
}

/*
 * Masks the host's interrupts while the driver reads; if packets are left
 * when it returns (its budget ran out, or the host wrote meanwhile), runs
 * again later rather than loop here, so other softirqs get their turn.
 */
static void vsc_vmbus_chan_dpc(struct tasklet_struct *t)
{
	struct vsc_vmbus_channel *ch = from_tasklet(ch, t, tasklet);
	int more;

	spin_lock(&ch->in_lock);
	vsc_ring_mask_interrupts(&ch->in);
	spin_unlock(&ch->in_lock);
	ch->onchannel(ch, ch->ctx);
	spin_lock(&ch->in_lock);
	more = vsc_ring_unmask_interrupts(&ch->in);
	spin_unlock(&ch->in_lock);
	if (more > 0 && READ_ONCE(ch->state) == VSC_CHAN_OPEN)
		tasklet_schedule(&ch->tasklet);
}

/**
 * vsc_vmbus_chan_init() - set up a new channel's locks and objects
 * @ch: the channel
 */
void vsc_vmbus_chan_init(struct vsc_vmbus_channel *ch)
{
	spin_lock_init(&ch->out_lock);
	spin_lock_init(&ch->in_lock);
	init_completion(&ch->open_done);
	init_completion(&ch->modify_done);
	mutex_init(&ch->lock);
	tasklet_setup(&ch->tasklet, vsc_vmbus_chan_dpc);
	kobject_init(&ch->kobj, &vsc_vmbus_chan_ktype);
	ch->state = VSC_CHAN_OFFERED;
	ch->cpu = -1;
}

/**
 * vsc_vmbus_chan_schedule() - the host flagged @ch: run its callback
 * @ch: the channel
 *
 * Called by the ISR, on the channel's target CPU, under rcu_read_lock().
 */
void vsc_vmbus_chan_schedule(struct vsc_vmbus_channel *ch)
{
	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN)
		return;
	ch->interrupts++;
	tasklet_schedule(&ch->tasklet);
}

/**
 * vsc_vmbus_open_result() - the host answered an OPENCHANNEL
 * @conn: the connection
 * @m: the parsed OPENCHANNEL_RESULT
 */
void vsc_vmbus_open_result(struct vsc_vmbus_conn *conn,
			   const struct vsc_vmbus_hmsg *m)
{
	struct vsc_vmbus_channel *ch;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	ch = vsc_vmbus_chan_get(conn, m->relid);
	if (!ch || ch->state != VSC_CHAN_OPENING || ch->openid != m->openid) {
		spin_unlock_irqrestore(&conn->lock, flags);
		dev_notice_ratelimited(conn->dev, "open result for relid %u openid %u not asked for\n",
				       m->relid, m->openid);
		return;
	}
	ch->open_status = m->status;
	complete(&ch->open_done);
	spin_unlock_irqrestore(&conn->lock, flags);
}

static int vsc_vmbus_ring_alloc(struct vsc_vmbus_channel *ch, u32 send_bytes,
				u32 recv_bytes)
{
	u32 send_off = VSC_RING_CONTROL_SIZE;
	u32 recv_ctl = send_off + send_bytes;
	u8 *buf;
	int ret;

	ch->ring_size = 2 * VSC_RING_CONTROL_SIZE + send_bytes + recv_bytes;
	buf = vzalloc(ch->ring_size);
	if (!buf)
		return -ENOMEM;
	/* As Linux does: we honour pending_send_sz in both directions. */
	vsc_ring_control_init((void *)buf, VSC_RING_FEAT_PENDING_SEND_SZ);
	vsc_ring_control_init((void *)(buf + recv_ctl), VSC_RING_FEAT_PENDING_SEND_SZ);
	ret = vsc_ring_init(&ch->out, VSC_RING_WRITER, (void *)buf,
			    buf + send_off, send_bytes, vsc_vmbus_signal_out);
	if (!ret)
		ret = vsc_ring_init(&ch->in, VSC_RING_READER,
				    (void *)(buf + recv_ctl),
				    buf + recv_ctl + VSC_RING_CONTROL_SIZE,
				    recv_bytes, vsc_vmbus_signal_in);
	if (ret) {
		vfree(buf);
		return ret;
	}
	ch->ring_buf = buf;
	return 0;
}

static int vsc_vmbus_send_open(struct vsc_vmbus_channel *ch, int vp,
			       u32 send_bytes)
{
	struct vsc_vmbus_conn *conn = ch->conn;
	struct vsc_vmbus_open_channel m = { 0 };
	int ret;

	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_OPENCHANNEL);
	m.child_relid = cpu_to_le32(ch->relid);
	m.openid = cpu_to_le32(ch->openid);
	m.ringbuffer_gpadl = cpu_to_le32(ch->ring_gpadl);
	m.target_vp = cpu_to_le32(vp);
	m.downstream_ring_pageoffset =
		cpu_to_le32((VSC_RING_CONTROL_SIZE + send_bytes) >> PAGE_SHIFT);

	/* A rescind marked before the completion was re-armed: no answer. */
	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	ret = vsc_vmbus_post(conn, &m, sizeof(m));
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&ch->open_done, VSC_VMBUS_REPLY_TIMEOUT))
		return -ETIMEDOUT;
	if (ch->rescinded)
		return -ENODEV;
	if (ch->open_status) {
		dev_err(&ch->vdev->dev, "host refused to open relid %u: %#x\n",
			ch->relid, ch->open_status);
		return -EIO;
	}
	return 0;
}

static int vsc_vmbus_do_open(struct vsc_vmbus_channel *ch, u32 send_bytes,
			     u32 recv_bytes, int cpu,
			     vsc_vmbus_onchannel_t onchannel, void *ctx)
{
	struct vsc_vmbus_conn *conn = ch->conn;
	int vp, ret;

	if (!onchannel || !send_bytes || !recv_bytes ||
	    !PAGE_ALIGNED(send_bytes) || !PAGE_ALIGNED(recv_bytes) ||
	    send_bytes > VSC_RING_MAX_SIZE || recv_bytes > VSC_RING_MAX_SIZE ||
	    cpu < 0 || !cpu_online(cpu))
		return -EINVAL;
	vp = vsc_hc_vp_index(cpu);
	if (vp < 0)
		return -EINVAL;
	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	if (ch->state != VSC_CHAN_OFFERED)
		return -EBUSY;

	ret = vsc_vmbus_ring_alloc(ch, send_bytes, recv_bytes);
	if (ret)
		return ret;
	ret = vsc_vmbus_gpadl_create(ch, ch->ring_buf, ch->ring_size,
				     &ch->ring_gpadl);
	if (ret) {
		if (ret != -ETIMEDOUT)
			vfree(ch->ring_buf);
		ch->ring_buf = NULL;
		return ret;
	}

	ch->onchannel = onchannel;
	ch->ctx = ctx;
	ch->cpu = cpu;
	spin_lock_irq(&conn->lock);
	ch->openid = ch->relid;
	ch->open_status = 0;
	/* A rescind from now on completes what we wait for. */
	reinit_completion(&ch->open_done);
	WRITE_ONCE(ch->state, VSC_CHAN_OPENING);
	ret = ch->rescinded ? -ENODEV : 0;
	spin_unlock_irq(&conn->lock);

	if (!ret)
		ret = vsc_vmbus_send_open(ch, vp, send_bytes);
	trace_vsc_vmbus_chan_open(ch->relid, cpu, ret);
	spin_lock_irq(&conn->lock);
	WRITE_ONCE(ch->state, ret ? VSC_CHAN_OFFERED : VSC_CHAN_OPEN);
	spin_unlock_irq(&conn->lock);
	if (ret) {
		if (!vsc_vmbus_gpadl_teardown(ch, ch->ring_gpadl))
			vfree(ch->ring_buf);
		ch->ring_buf = NULL;
		return ret;
	}
	/* The host may have written before we were ready to look. */
	tasklet_schedule(&ch->tasklet);
	return 0;
}
/**
 * vsc_vmbus_open() - open a channel
 * @ch: the channel
 * @send_bytes: outbound ring data size, a multiple of PAGE_SIZE
 * @recv_bytes: inbound ring data size, a multiple of PAGE_SIZE
 * @cpu: the CPU the host interrupts for this channel
 * @onchannel: receive callback (see &typedef vsc_vmbus_onchannel_t)
 * @ctx: its argument
 *
 * May sleep. Return: 0 or a negative errno.
 */
int vsc_vmbus_open(struct vsc_vmbus_channel *ch, u32 send_bytes,
		   u32 recv_bytes, int cpu, vsc_vmbus_onchannel_t onchannel,
		   void *ctx)
{
	int ret;

	/* The CPU stays online until the channel targets it. */
	cpus_read_lock();
	mutex_lock(&ch->lock);
	ret = vsc_vmbus_do_open(ch, send_bytes, recv_bytes, cpu, onchannel, ctx);
	mutex_unlock(&ch->lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_open);

static void vsc_vmbus_do_close(struct vsc_vmbus_channel *ch)
{
	struct vsc_vmbus_conn *conn = ch->conn;
	struct vsc_vmbus_relid_msg m = {
		.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_CLOSECHANNEL),
		.child_relid = cpu_to_le32(ch->relid),
	};

	if (ch->state != VSC_CHAN_OPEN)
		return;
	spin_lock_irq(&conn->lock);
	WRITE_ONCE(ch->state, VSC_CHAN_OFFERED);
	spin_unlock_irq(&conn->lock);
	/* Senders check the state under out_lock: wait for those inside. */
	spin_lock_irq(&ch->out_lock);
	spin_unlock_irq(&ch->out_lock);
	tasklet_kill(&ch->tasklet);
	trace_vsc_vmbus_chan_close(ch->relid, ch->cpu, ch->rescinded);

	if (!ch->rescinded && vsc_vmbus_post(conn, &m, sizeof(m)))
		dev_warn(&ch->vdev->dev, "cannot send CLOSECHANNEL\n");
	if (ch->rescinded || !vsc_vmbus_gpadl_teardown(ch, ch->ring_gpadl))
		vfree(ch->ring_buf);
	else
		dev_warn(&ch->vdev->dev, "ring GPADL not torn down: leaking the ring\n");
	ch->ring_buf = NULL;
}

/**
 * vsc_vmbus_close() - close a channel opened with vsc_vmbus_open()
 * @ch: the channel
 *
 * May sleep. On return the receive callback no longer runs. The ring is
 * freed once the host has released it; a host that does not answer keeps
 * it (leaked, never reused while the host may still write to it).
 */
void vsc_vmbus_close(struct vsc_vmbus_channel *ch)
{
	mutex_lock(&ch->lock);
	vsc_vmbus_do_close(ch);
	mutex_unlock(&ch->lock);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_close);

static int vsc_vmbus_send_pkt(struct vsc_vmbus_channel *ch, u16 type,
			      u16 flags, u64 trans_id, void *hdr, u32 hdr_len,
			      const void *buf, u32 len)
{
	unsigned long irqflags;
	int ret;

	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN)
		return -ENOTCONN;
	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	/* A host that corrupted either ring gets no more requests. */
	if (READ_ONCE(ch->in.broken))
		return -EIO;
	spin_lock_irqsave(&ch->out_lock, irqflags);
	/* Again under the lock: vsc_vmbus_close() may be freeing the ring. */
	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN)
		ret = -ENOTCONN;
	else
		ret = vsc_ring_send(&ch->out, type, flags, trans_id, hdr,
				    hdr_len, buf, len);
	spin_unlock_irqrestore(&ch->out_lock, irqflags);
	return ret;
}

/**
 * vsc_vmbus_send() - send an in-band packet
 * @ch: an open channel
 * @buf: payload
 * @len: its length
 * @trans_id: request id (see docs/design.md: generation << 32 | (tag + 1))
 * @want_completion: ask the host for a completion packet
 *
 * Never sleeps. Return: 0; -ENOSPC when the ring is full now; -EIO when
 * the ring is broken; -ENOTCONN when the channel is not open; -ENODEV when
 * the host rescinded it.
 */
int vsc_vmbus_send(struct vsc_vmbus_channel *ch, const void *buf, u32 len,
		   u64 trans_id, bool want_completion)
{
	return vsc_vmbus_send_pkt(ch, VSC_PKT_DATA_INBAND,
				  want_completion ? VSC_PKT_FLAG_COMPLETION_REQUESTED : 0,
				  trans_id, NULL, 0, buf, len);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send);

/**
 * vsc_vmbus_send_completion() - answer a host request with a completion
 * @ch: an open channel
 * @buf: payload
 * @len: its length
 * @trans_id: the transaction id of the host's request
 *
 * Return: as vsc_vmbus_send().
 */
int vsc_vmbus_send_completion(struct vsc_vmbus_channel *ch, const void *buf,
			      u32 len, u64 trans_id)
{
	return vsc_vmbus_send_pkt(ch, VSC_PKT_COMPLETION, 0, trans_id, NULL, 0,
				  buf, len);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_completion);

/**
 * vsc_vmbus_send_gpa() - send a GPA-direct packet (data by page list)
 * @ch: an open channel
 * @ranges: a buffer with room for a struct vsc_gpa_direct_header,
 *	followed by @range_count struct vsc_gpa_range with their PFNs
 * @ranges_len: bytes of @ranges, header included, a multiple of 8
 * @range_count: ranges after the header
 * @buf: in-band payload after the ranges
 * @len: its length
 * @trans_id: request id; a completion is always requested
 *
 * Return: as vsc_vmbus_send().
 */
int vsc_vmbus_send_gpa(struct vsc_vmbus_channel *ch, void *ranges,
		       u32 ranges_len, u32 range_count, const void *buf, u32 len,
		       u64 trans_id)
{
	struct vsc_gpa_direct_header *h = ranges;

	if (ranges_len < sizeof(*h) || ranges_len % VSC_PKT_ALIGN)
		return -EINVAL;
	h->reserved = 0;
	h->range_count = cpu_to_le32(range_count);
	return vsc_vmbus_send_pkt(ch, VSC_PKT_DATA_GPA_DIRECT,
				  VSC_PKT_FLAG_COMPLETION_REQUESTED, trans_id,
				  ranges, ranges_len, buf, len);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_gpa);

/**
 * vsc_vmbus_recv() - take the next packet of the inbound ring
 * @ch: an open channel
 * @buf: where to copy it, descriptor included (parse it with
 *	vsc_ring_pkt_parse(..., VSC_RING_VIEW_GUEST, ...))
 * @buflen: room in @buf
 * @len: the packet's length
 *
 * Return: 0; -EAGAIN when the ring is empty; -ENOBUFS when @buf is too
 * small (the packet stays); -EIO when the host corrupted the ring.
 */
int vsc_vmbus_recv(struct vsc_vmbus_channel *ch, void *buf, u32 buflen,
		   u32 *len)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&ch->in_lock, flags);
	ret = vsc_ring_read(&ch->in, buf, buflen, len);
	spin_unlock_irqrestore(&ch->in_lock, flags);
	if (ret == -EIO)
		dev_err_ratelimited(&ch->vdev->dev, "relid %u: inbound ring broken: %s\n",
				    ch->relid, ch->in.reason);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_recv);

/**
 * vsc_vmbus_chan_broken() - a driver saw the host break its protocol
 * @ch: an open channel
 * @reason: why, a static string
 *
 * Marks the channel broken for good (its inbound ring, as a corrupt ring
 * would be): receives and sends fail with -EIO, sysfs shows @reason. The
 * driver fails its pending requests itself.
 */
void vsc_vmbus_chan_broken(struct vsc_vmbus_channel *ch, const char *reason)
{
	unsigned long flags;

	spin_lock_irqsave(&ch->in_lock, flags);
	vsc_ring_set_broken(&ch->in, reason);
	spin_unlock_irqrestore(&ch->in_lock, flags);
	dev_err_ratelimited(&ch->vdev->dev, "relid %u: channel broken: %s\n",
			    ch->relid, reason);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_chan_broken);

/**
 * vsc_vmbus_channel_cpu() - the CPU the host interrupts for @ch
 * @ch: the channel
 *
 * Return: the CPU, or -1 while the channel is closed.
 */
int vsc_vmbus_channel_cpu(struct vsc_vmbus_channel *ch)
{
	return ch->cpu;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_channel_cpu);
