// SPDX-License-Identifier: GPL-2.0
/*
 * The receive half of the data path: the channel's tasklet, which runs the
 * driver's callback with the host's interrupts masked, and the reads that
 * drivers make from it or from any other context, one packet at a time or
 * in a batch (one lock, one read-index publication and one signal decision
 * for a whole burst). In polled mode the mask belongs to the driver.
 *
 * Every call takes in_lock and looks at the channel's state under it: a
 * closed channel's rings are gone (see channel.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "vmbus_core.h"
#include "trace.h"

/* Drops in_lock, then sends the signal a read called for, if any. */
static void vsc_vmbus_in_unlock(struct vsc_vmbus_channel *ch,
				unsigned long flags)
	__releases(&ch->in_lock)
{
	bool sig = ch->in_owed;

	ch->in_owed = false;
	spin_unlock_irqrestore(&ch->in_lock, flags);
	if (sig)
		vsc_vmbus_signal_host(ch);
}

static bool vsc_vmbus_open_locked(struct vsc_vmbus_channel *ch)
{
	lockdep_assert_held(&ch->in_lock);
	return READ_ONCE(ch->state) == VSC_CHAN_OPEN;
}

/**
 * vsc_vmbus_chan_dpc() - the channel's tasklet: run the driver's callback
 * @t: the channel's tasklet
 *
 * Masks the host's interrupts while the driver reads. In interrupt mode,
 * if packets are left when it returns (its budget ran out, or the host
 * wrote meanwhile), runs again later rather than loop here, so that other
 * softirqs get their turn; a packet too big for the driver's buffer does
 * not count (it would spin). In polled mode the driver unmasks.
 */
void vsc_vmbus_chan_dpc(struct tasklet_struct *t)
{
	struct vsc_vmbus_channel *ch = from_tasklet(ch, t, tasklet);
	int more = 0;

	spin_lock_irq(&ch->in_lock);
	if (!vsc_vmbus_open_locked(ch)) {
		spin_unlock_irq(&ch->in_lock);
		return;
	}
	vsc_ring_mask_interrupts(&ch->in);
	spin_unlock_irq(&ch->in_lock);

	ch->onchannel(ch, ch->ctx);
	if (ch->polled)
		return;

	spin_lock_irq(&ch->in_lock);
	if (vsc_vmbus_open_locked(ch) && !ch->rx_stuck)
		more = vsc_ring_unmask_interrupts(&ch->in);
	spin_unlock_irq(&ch->in_lock);
	if (more > 0)
		tasklet_schedule(&ch->tasklet);
}

/**
 * vsc_vmbus_chan_schedule() - the host flagged @ch: run its callback
 * @ch: the channel
 *
 * Called by the ISR, on the channel's target CPU, under rcu_read_lock():
 * close waits for a grace period after leaving VSC_CHAN_OPEN. The flag
 * also means room in the outbound ring for a writer that asked for it.
 */
void vsc_vmbus_chan_schedule(struct vsc_vmbus_channel *ch)
{
	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN)
		return;
	ch->interrupts++;
	if (wq_has_sleeper(&ch->send_wq)) {
		trace_vsc_vmbus_send_wakeup(ch->relid,
					    atomic64_inc_return(&ch->send_wakeups));
		wake_up(&ch->send_wq);
	}
	trace_vsc_vmbus_schedule(ch->relid, smp_processor_id());
	tasklet_schedule(&ch->tasklet);
}

/**
 * vsc_vmbus_schedule() - run @ch's receive callback (again) soon
 * @ch: an open channel
 *
 * For a polling driver that has not drained the ring and owns no other
 * way to come back (NAPI drivers reschedule their NAPI instead), and for
 * a driver that took a packet too big for its buffer from another
 * context. Does nothing once close has begun. Any context.
 */
void vsc_vmbus_schedule(struct vsc_vmbus_channel *ch)
{
	unsigned long flags;

	spin_lock_irqsave(&ch->in_lock, flags);
	/* Under in_lock: close, which takes it too, then kills the tasklet. */
	if (vsc_vmbus_open_locked(ch)) {
		trace_vsc_vmbus_schedule(ch->relid, raw_smp_processor_id());
		tasklet_schedule(&ch->tasklet);
	}
	spin_unlock_irqrestore(&ch->in_lock, flags);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_schedule);

/**
 * vsc_vmbus_broken_found() - the bus found @ch's rings corrupt: tell the driver
 * @ch: an open channel; the caller holds one of its ring locks
 *
 * Wakes writers waiting for room; calls the driver's broken callback once
 * per open, in a work item that close cancels and waits for.
 */
void vsc_vmbus_broken_found(struct vsc_vmbus_channel *ch)
{
	wake_up_all(&ch->send_wq);
	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN || !ch->on_broken ||
	    xchg(&ch->broken_told, true))
		return;
	schedule_work(&ch->broken_work);
}

/* What a read returned, in the bus API's terms; in_lock held. */
static int vsc_vmbus_rx_result(struct vsc_vmbus_channel *ch, int ret,
			       const u32 *len)
{
	if (ret == -EIO)
		vsc_vmbus_broken_found(ch);
	if (ret == -ENOBUFS) {
		ch->rx_stuck = true;
		trace_vsc_vmbus_rx_too_big(ch->relid, *len);
		return -EMSGSIZE;
	}
	if (!ret)
		ch->rx_stuck = false;
	return ret;
}

static void vsc_vmbus_rx_broken(struct vsc_vmbus_channel *ch)
{
	dev_err_ratelimited(&ch->vdev->dev, "relid %u: inbound ring broken: %s\n",
			    ch->relid, ch->in.reason);
}

/**
 * vsc_vmbus_recv() - take the next packet of the inbound ring
 * @ch: an open channel
 * @buf: where to copy it, descriptor included (parse it with
 *	vsc_ring_pkt_parse(..., VSC_RING_VIEW_GUEST, ...))
 * @buflen: room in @buf
 * @len: the packet's length; on -EMSGSIZE, the length @buf would need
 *
 * Any context, concurrently with the callback and with close. A packet
 * too big for @buf stays in the ring, and the bus does not run the
 * callback again for it: the driver reads it with a bigger buffer (and
 * then calls vsc_vmbus_schedule() if it read from elsewhere) or gives up
 * on the channel with vsc_vmbus_chan_broken().
 *
 * Return: 0; -EAGAIN when the ring is empty; -EMSGSIZE when @buf is too
 * small; -EIO when the host corrupted the ring; -ENOTCONN when the
 * channel is not open.
 */
int vsc_vmbus_recv(struct vsc_vmbus_channel *ch, void *buf, u32 buflen,
		   u32 *len)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&ch->in_lock, flags);
	if (vsc_vmbus_open_locked(ch)) {
		ret = vsc_ring_read(&ch->in, buf, buflen, len);
		ret = vsc_vmbus_rx_result(ch, ret, len);
	}
	vsc_vmbus_in_unlock(ch, flags);
	if (ret == -EIO)
		vsc_vmbus_rx_broken(ch);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_recv);

/**
 * vsc_vmbus_recv_begin() - start a batch of reads
 * @ch: the channel
 *
 * Takes the channel's read lock (interrupts off) and the ring's write
 * index once. Whatever it returns, the caller ends the batch with
 * vsc_vmbus_recv_end() and neither sleeps nor calls other vsc_vmbus_recv*
 * functions of @ch in between.
 *
 * Return: 0; -ENOTCONN when the channel is not open; -EIO when the ring
 * is broken. After an error vsc_vmbus_recv_next() returns it again.
 */
int vsc_vmbus_recv_begin(struct vsc_vmbus_channel *ch)
	__acquires(&ch->in_lock)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&ch->in_lock, flags);
	ch->in_flags = flags;
	if (vsc_vmbus_open_locked(ch))
		ret = vsc_ring_read_begin(&ch->in);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_recv_begin);

/**
 * vsc_vmbus_recv_next() - copy the batch's next packet out of the ring
 * @ch: the channel, inside vsc_vmbus_recv_begin()
 * @buf: where to copy it, descriptor included
 * @buflen: room in @buf
 * @len: the packet's length; on -EMSGSIZE, the length @buf would need
 *
 * Return: 0; -EAGAIN when the batch has no more packets; -EMSGSIZE (as
 * vsc_vmbus_recv()); -EIO; -ENOTCONN.
 */
int vsc_vmbus_recv_next(struct vsc_vmbus_channel *ch, void *buf, u32 buflen,
			u32 *len)
{
	int ret;

	if (!vsc_vmbus_open_locked(ch))
		return -ENOTCONN;
	ret = vsc_ring_read_next(&ch->in, buf, buflen, len);
	if (ret == -EINVAL && ch->in.broken)
		ret = -EIO;
	return vsc_vmbus_rx_result(ch, ret, len);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_recv_next);

/**
 * vsc_vmbus_recv_pkt() - the batch's next packet, parsed, in the bus's buffer
 * @ch: a channel opened with a @max_pkt, inside vsc_vmbus_recv_begin()
 * @pkt: the parsed packet; its pointers stay valid until the next call or
 *	vsc_vmbus_recv_end()
 * @len: the packet's length; on -EMSGSIZE, the length it would need
 *
 * A packet the guest may not receive breaks the channel.
 *
 * Return: as vsc_vmbus_recv_next(); -EINVAL without a @max_pkt.
 */
int vsc_vmbus_recv_pkt(struct vsc_vmbus_channel *ch, struct vsc_ring_pkt *pkt,
		       u32 *len)
{
	int ret;

	if (!vsc_vmbus_open_locked(ch))
		return -ENOTCONN;
	if (!ch->pkt_buf)
		return -EINVAL;
	ret = vsc_vmbus_recv_next(ch, ch->pkt_buf, ch->max_pkt, len);
	if (ret)
		return ret;
	if (vsc_ring_pkt_parse(ch->pkt_buf, *len, VSC_RING_VIEW_GUEST, pkt)) {
		vsc_ring_set_broken(&ch->in, "packet the guest may not receive");
		vsc_vmbus_broken_found(ch);
		return -EIO;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_recv_pkt);

/**
 * vsc_vmbus_recv_end() - end a batch: free its room, signal if called for
 * @ch: the channel, inside vsc_vmbus_recv_begin()
 *
 * Publishes the read index once, drops the read lock, then signals the
 * host if a writer there waits for the room made.
 */
void vsc_vmbus_recv_end(struct vsc_vmbus_channel *ch)
	__releases(&ch->in_lock)
{
	bool broken = false;

	if (vsc_vmbus_open_locked(ch) && ch->in.in_batch)
		broken = vsc_ring_read_end(&ch->in) == -EIO;
	if (broken)
		vsc_vmbus_broken_found(ch);
	vsc_vmbus_in_unlock(ch, ch->in_flags);
	if (broken)
		vsc_vmbus_rx_broken(ch);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_recv_end);

/**
 * vsc_vmbus_mask() - ask the host not to interrupt for @ch
 * @ch: a channel in polled mode, or in its callback
 *
 * A hint: a host that has not seen it yet may still interrupt once.
 */
void vsc_vmbus_mask(struct vsc_vmbus_channel *ch)
{
	unsigned long flags;

	spin_lock_irqsave(&ch->in_lock, flags);
	if (vsc_vmbus_open_locked(ch))
		vsc_ring_mask_interrupts(&ch->in);
	spin_unlock_irqrestore(&ch->in_lock, flags);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_mask);

/**
 * vsc_vmbus_unmask() - ask for interrupts again, then look once more
 * @ch: a channel in polled mode
 *
 * Packets the host wrote while the mask was set raised no interrupt: when
 * this returns more than 0 the driver masks again and keeps polling, else
 * it waits for the next callback. A packet left because it was too big
 * for the driver's buffer is not counted.
 *
 * Return: bytes waiting; -ENOTCONN; -EIO.
 */
int vsc_vmbus_unmask(struct vsc_vmbus_channel *ch)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&ch->in_lock, flags);
	if (vsc_vmbus_open_locked(ch)) {
		ret = vsc_ring_unmask_interrupts(&ch->in);
		if (ret > 0 && ch->rx_stuck)
			ret = 0;
	}
	spin_unlock_irqrestore(&ch->in_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_unmask);

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
	if (vsc_vmbus_open_locked(ch))
		vsc_ring_set_broken(&ch->in, reason);
	spin_unlock_irqrestore(&ch->in_lock, flags);
	/* Writers waiting for room fail now. */
	wake_up_all(&ch->send_wq);
	dev_err_ratelimited(&ch->vdev->dev, "relid %u: channel broken: %s\n",
			    ch->relid, reason);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_chan_broken);
