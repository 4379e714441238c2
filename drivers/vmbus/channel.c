// SPDX-License-Identifier: GPL-2.0
/*
 * Channel open and close. The data path is in send.c and recv.c; the
 * state machine that keeps it away from freed rings is here:
 *
 *	OFFERED -> OPENING -> OPEN -> OFFERED
 *
 * Every change takes the connection lock and both ring locks, so a sender
 * (out_lock), a reader or sysfs (in_lock, out_lock) and the ISR (which
 * looks under RCU) each see OPEN only while the rings exist. Close leaves
 * OPEN first, waits for the ISR (an RCU grace period) and the tasklet,
 * and only then gives the rings back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"
#include "trace.h"

static atomic_t vsc_vmbus_next_cpu = ATOMIC_INIT(0);

static void vsc_vmbus_broken_work(struct work_struct *work)
{
	struct vsc_vmbus_channel *ch =
		container_of(work, struct vsc_vmbus_channel, broken_work);

	ch->on_broken(ch, ch->ctx);
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
	init_waitqueue_head(&ch->send_wq);
	mutex_init(&ch->lock);
	tasklet_setup(&ch->tasklet, vsc_vmbus_chan_dpc);
	INIT_WORK(&ch->broken_work, vsc_vmbus_broken_work);
	kobject_init(&ch->kobj, &vsc_vmbus_chan_ktype);
	ch->state = VSC_CHAN_OFFERED;
	ch->cpu = -1;
}

/**
 * vsc_vmbus_chan_set_state() - move @ch to @state
 * @ch: the channel
 * @state: VSC_CHAN_*
 *
 * Takes the connection lock and both ring locks, in that order, so that
 * the holder of any of them sees the state stay put.
 */
void vsc_vmbus_chan_set_state(struct vsc_vmbus_channel *ch,
			      enum vsc_vmbus_chan_state state)
{
	unsigned long flags;

	spin_lock_irqsave(&ch->conn->lock, flags);
	spin_lock(&ch->in_lock);
	spin_lock(&ch->out_lock);
	WRITE_ONCE(ch->state, state);
	spin_unlock(&ch->out_lock);
	spin_unlock(&ch->in_lock);
	spin_unlock_irqrestore(&ch->conn->lock, flags);
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
				u32 recv_bytes, int node)
{
	u32 send_off = VSC_RING_CONTROL_SIZE;
	u32 recv_ctl = send_off + send_bytes;
	u8 *buf;
	int ret;

	ch->ring_size = 2 * VSC_RING_CONTROL_SIZE + send_bytes + recv_bytes;
	buf = vzalloc_node(ch->ring_size, node);
	if (!buf)
		return -ENOMEM;
	/* As Linux does: we honour pending_send_sz in both directions. */
	vsc_ring_control_init((void *)buf, VSC_RING_FEAT_PENDING_SEND_SZ);
	vsc_ring_control_init((void *)(buf + recv_ctl), VSC_RING_FEAT_PENDING_SEND_SZ);
	ret = vsc_ring_init(&ch->out, VSC_RING_WRITER, (void *)buf,
			    buf + send_off, send_bytes, vsc_vmbus_ring_signal_out);
	if (!ret)
		ret = vsc_ring_init(&ch->in, VSC_RING_READER,
				    (void *)(buf + recv_ctl),
				    buf + recv_ctl + VSC_RING_CONTROL_SIZE,
				    recv_bytes, vsc_vmbus_ring_signal_in);
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

/* The CPU for a channel opened with cpu -1: the next online one in turn. */
static int vsc_vmbus_spread_cpu(void)
{
	unsigned int n = atomic_inc_return(&vsc_vmbus_next_cpu);

	return cpumask_nth(n % num_online_cpus(), cpu_online_mask);
}

static int vsc_vmbus_opts_ok(const struct vsc_vmbus_open_opts *o, int cpu)
{
	if (!o->onchannel || !o->send_bytes || !o->recv_bytes ||
	    !PAGE_ALIGNED(o->send_bytes) || !PAGE_ALIGNED(o->recv_bytes) ||
	    o->send_bytes > VSC_RING_MAX_SIZE ||
	    o->recv_bytes > VSC_RING_MAX_SIZE ||
	    o->max_pkt > VSC_RING_MAX_PACKET ||
	    (o->flags & ~VSC_VMBUS_OPEN_POLLED) ||
	    cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	return 0;
}

/* Gives back what a failed open took; the host holds none of it. */
static void vsc_vmbus_open_undo(struct vsc_vmbus_channel *ch)
{
	kfree(ch->pkt_buf);
	ch->pkt_buf = NULL;
	ch->max_pkt = 0;
	ch->cpu = -1;
}

static int vsc_vmbus_do_open(struct vsc_vmbus_channel *ch,
			     const struct vsc_vmbus_open_opts *o)
{
	int cpu = o->cpu < 0 ? vsc_vmbus_spread_cpu() : o->cpu;
	int vp, ret;

	ret = vsc_vmbus_opts_ok(o, cpu);
	if (ret)
		return ret;
	vp = vsc_hc_vp_index(cpu);
	if (vp < 0)
		return -EINVAL;
	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	if (ch->state != VSC_CHAN_OFFERED)
		return -EBUSY;

	if (o->max_pkt) {
		ch->pkt_buf = kmalloc_node(o->max_pkt, GFP_KERNEL,
					   cpu_to_node(cpu));
		if (!ch->pkt_buf)
			return -ENOMEM;
		ch->max_pkt = o->max_pkt;
	}
	ret = vsc_vmbus_ring_alloc(ch, o->send_bytes, o->recv_bytes,
				   cpu_to_node(cpu));
	if (ret) {
		vsc_vmbus_open_undo(ch);
		return ret;
	}
	ret = vsc_vmbus_gpadl_create(ch, ch->ring_buf, ch->ring_size,
				     &ch->ring_gpadl);
	if (ret) {
		if (ret != -ETIMEDOUT)
			vfree(ch->ring_buf);
		ch->ring_buf = NULL;
		vsc_vmbus_open_undo(ch);
		return ret;
	}

	ch->onchannel = o->onchannel;
	ch->ctx = o->ctx;
	ch->on_broken = o->broken;
	ch->on_cpu_changed = o->cpu_changed;
	ch->broken_told = false;
	ch->polled = o->flags & VSC_VMBUS_OPEN_POLLED;
	ch->out_owed = false;
	ch->in_owed = false;
	ch->rx_stuck = false;
	WRITE_ONCE(ch->cpu, cpu);
	spin_lock_irq(&ch->conn->lock);
	ch->openid = ch->relid;
	ch->open_status = 0;
	/* A rescind from now on completes what we wait for. */
	reinit_completion(&ch->open_done);
	WRITE_ONCE(ch->state, VSC_CHAN_OPENING);
	ret = ch->rescinded ? -ENODEV : 0;
	spin_unlock_irq(&ch->conn->lock);

	if (!ret)
		ret = vsc_vmbus_send_open(ch, vp, o->send_bytes);
	trace_vsc_vmbus_chan_open(ch->relid, cpu, ret);
	vsc_vmbus_chan_set_state(ch, ret ? VSC_CHAN_OFFERED : VSC_CHAN_OPEN);
	if (ret) {
		if (!vsc_vmbus_gpadl_teardown(ch, ch->ring_gpadl))
			vfree(ch->ring_buf);
		ch->ring_buf = NULL;
		vsc_vmbus_open_undo(ch);
		return ret;
	}
	/* The host may have written before we were ready to look. */
	vsc_vmbus_schedule(ch);
	return 0;
}

/**
 * vsc_vmbus_open_with() - open a channel
 * @ch: the channel
 * @opts: rings, CPU, mode and callback (see &struct vsc_vmbus_open_opts)
 *
 * May sleep. Return: 0; -EINVAL for bad options; -EBUSY when the channel
 * is open already; -ENODEV when the host rescinded it; -ENOMEM;
 * -ETIMEDOUT or -EIO when the host did not open it.
 */
int vsc_vmbus_open_with(struct vsc_vmbus_channel *ch,
			const struct vsc_vmbus_open_opts *opts)
{
	int ret;

	/* The CPU stays online until the channel targets it. */
	cpus_read_lock();
	mutex_lock(&ch->lock);
	ret = vsc_vmbus_do_open(ch, opts);
	mutex_unlock(&ch->lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_open_with);

/**
 * vsc_vmbus_open() - open a channel in interrupt mode
 * @ch: the channel
 * @send_bytes: outbound ring data size, a multiple of PAGE_SIZE
 * @recv_bytes: inbound ring data size, a multiple of PAGE_SIZE
 * @cpu: the CPU the host interrupts for this channel, or -1 (any)
 * @onchannel: receive callback (see &typedef vsc_vmbus_onchannel_t)
 * @ctx: its argument
 *
 * May sleep. Return: as vsc_vmbus_open_with().
 */
int vsc_vmbus_open(struct vsc_vmbus_channel *ch, u32 send_bytes,
		   u32 recv_bytes, int cpu, vsc_vmbus_onchannel_t onchannel,
		   void *ctx)
{
	const struct vsc_vmbus_open_opts o = {
		.send_bytes = send_bytes,
		.recv_bytes = recv_bytes,
		.cpu = cpu,
		.onchannel = onchannel,
		.ctx = ctx,
	};

	return vsc_vmbus_open_with(ch, &o);
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
	/* From here no sender, reader or sysfs file touches the rings. */
	vsc_vmbus_chan_set_state(ch, VSC_CHAN_OFFERED);
	/* Writers waiting for room fail now. */
	wake_up_all(&ch->send_wq);
	/* An ISR that saw the channel open has scheduled the tasklet now. */
	synchronize_rcu();
	/* The last run of the callback; nothing schedules it again. */
	tasklet_kill(&ch->tasklet);
	/* Nor the broken callback: it is queued only while open. */
	cancel_work_sync(&ch->broken_work);
	trace_vsc_vmbus_chan_close(ch->relid, ch->cpu, ch->rescinded);

	if (!ch->rescinded && vsc_vmbus_post(conn, &m, sizeof(m)))
		dev_warn(&ch->vdev->dev, "cannot send CLOSECHANNEL\n");
	if (ch->rescinded || !vsc_vmbus_gpadl_teardown(ch, ch->ring_gpadl))
		vfree(ch->ring_buf);
	else
		dev_warn(&ch->vdev->dev, "ring GPADL not torn down: leaking the ring\n");
	ch->ring_buf = NULL;
	ch->onchannel = NULL;
	ch->ctx = NULL;
	ch->on_broken = NULL;
	ch->on_cpu_changed = NULL;
	vsc_vmbus_open_undo(ch);
}

/**
 * vsc_vmbus_close() - close a channel opened with vsc_vmbus_open()
 * @ch: the channel
 *
 * May sleep. On return the receive callback no longer runs and will not
 * run again, the bus no longer holds @ch's callback context, and sends,
 * receives and waits for room on @ch fail with -ENOTCONN (callers in
 * other contexts may race with close; they never touch a freed ring).
 * The ring is freed once the host has released it; a host that does not
 * answer keeps it (leaked, never reused while the host may still write).
 */
void vsc_vmbus_close(struct vsc_vmbus_channel *ch)
{
	mutex_lock(&ch->lock);
	vsc_vmbus_do_close(ch);
	mutex_unlock(&ch->lock);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_close);

/**
 * vsc_vmbus_is_rescinded() - did the host withdraw @ch?
 * @ch: the channel
 *
 * Return: true once the host rescinded the channel; it stays so.
 */
bool vsc_vmbus_is_rescinded(struct vsc_vmbus_channel *ch)
{
	return READ_ONCE(ch->rescinded);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_is_rescinded);

/**
 * vsc_vmbus_is_broken() - did the host corrupt @ch's rings or protocol?
 * @ch: the channel
 *
 * Return: true once the channel is broken (see vsc_vmbus_chan_broken());
 * it stays so until the channel is closed and opened again.
 */
bool vsc_vmbus_is_broken(struct vsc_vmbus_channel *ch)
{
	return READ_ONCE(ch->in.broken) || READ_ONCE(ch->out.broken);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_is_broken);

/**
 * vsc_vmbus_channel_cpu() - the CPU the host interrupts for @ch
 * @ch: the channel
 *
 * Return: the CPU, or -1 while the channel is closed.
 */
int vsc_vmbus_channel_cpu(struct vsc_vmbus_channel *ch)
{
	return READ_ONCE(ch->cpu);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_channel_cpu);
