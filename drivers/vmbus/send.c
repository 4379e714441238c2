// SPDX-License-Identifier: GPL-2.0
/*
 * The send half of the data path: packets into the outbound ring under
 * out_lock, the signal to the host after the lock is dropped (or later,
 * by vsc_vmbus_kick(), for a send that deferred it), and flow control: the
 * ring's room, and a wait for room whose wake-up is the host's signal
 * (pending_send_sz), never a sleep-and-retry loop.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"
#include "trace.h"

/**
 * vsc_vmbus_signal_host() - signal the host for @ch, counting failures
 * @ch: the channel
 *
 * Any context; never under one of the channel's ring locks.
 */
void vsc_vmbus_signal_host(struct vsc_vmbus_channel *ch)
{
	u64 status = vsc_hc_signal_event(ch->sig_conn_id, 0);

	trace_vsc_vmbus_signal(ch->relid, status);
	if (unlikely(status)) {
		atomic64_inc(&ch->signal_failed);
		dev_warn_ratelimited(&ch->vdev->dev, "relid %u: signal failed: %#llx\n",
				     ch->relid, status);
	}
}

/*
 * The ring's signal callbacks run under the ring's lock: they only note
 * that a signal is owed, and whoever drops the lock sends it.
 */
void vsc_vmbus_ring_signal_out(struct vsc_ring *ring)
{
	container_of(ring, struct vsc_vmbus_channel, out)->out_owed = true;
}

void vsc_vmbus_ring_signal_in(struct vsc_ring *ring)
{
	container_of(ring, struct vsc_vmbus_channel, in)->in_owed = true;
}

/*
 * With @rq, the request id is taken from it under the send lock (so ids
 * enter the ring in the order they were taken) and given back if the
 * packet is not sent; @trans_id is ignored then.
 */
static int vsc_vmbus_send_pkt_rq(struct vsc_vmbus_channel *ch, u16 type,
				 u16 pflags, u64 trans_id, void *hdr,
				 u32 hdr_len, const void *buf, u32 len,
				 u32 flags, struct vsc_vmbus_rqstor *rq,
				 void *ctx)
{
	unsigned long irqflags;
	void *unused;
	bool sig;
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
	if (rq && READ_ONCE(ch->state) == VSC_CHAN_OPEN)
		trans_id = vsc_vmbus_rqstor_get(rq, ctx);
	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN) {
		ret = -ENOTCONN;
	} else if (rq && !trans_id) {
		ret = -EBUSY;
	} else {
		ret = vsc_ring_send(&ch->out, type, pflags, trans_id, hdr,
				    hdr_len, buf, len);
		if (ret == -ENOSPC)
			trace_vsc_vmbus_ring_full(ch->relid, hdr_len + len);
		if (ret == -EIO)
			vsc_vmbus_broken_found(ch);
		if (ret && rq)
			vsc_vmbus_rqstor_take(rq, trans_id, &unused);
	}
	sig = ch->out_owed && !(flags & VSC_VMBUS_SEND_DEFER);
	if (sig)
		ch->out_owed = false;
	spin_unlock_irqrestore(&ch->out_lock, irqflags);
	if (sig)
		vsc_vmbus_signal_host(ch);
	return ret;
}

static int vsc_vmbus_send_pkt(struct vsc_vmbus_channel *ch, u16 type,
			      u16 pflags, u64 trans_id, void *hdr, u32 hdr_len,
			      const void *buf, u32 len, u32 flags)
{
	return vsc_vmbus_send_pkt_rq(ch, type, pflags, trans_id, hdr, hdr_len,
				     buf, len, flags, NULL, NULL);
}

/**
 * vsc_vmbus_send_req() - send an in-band request with an id from @r
 * @ch: an open channel
 * @r: the channel's request ids
 * @ctx: what the completion will find (vsc_vmbus_rqstor_take())
 * @buf: payload
 * @len: its length
 * @flags: VSC_VMBUS_SEND_DEFER; a completion is always requested
 *
 * Takes the id under the send lock and gives it back if the packet is not
 * sent, so a failed send leaves no slot behind. Any context.
 *
 * Return: as vsc_vmbus_send_flags(); -EBUSY when every id is in use.
 */
int vsc_vmbus_send_req(struct vsc_vmbus_channel *ch,
		       struct vsc_vmbus_rqstor *r, void *ctx, const void *buf,
		       u32 len, u32 flags)
{
	return vsc_vmbus_send_pkt_rq(ch, VSC_PKT_DATA_INBAND,
				     VSC_PKT_FLAG_COMPLETION_REQUESTED, 0,
				     NULL, 0, buf, len, flags, r, ctx);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_req);

/**
 * vsc_vmbus_send_flags() - send an in-band packet, with options
 * @ch: an open channel
 * @buf: payload
 * @len: its length
 * @trans_id: request id (see docs/design.md: generation << 32 | (tag + 1))
 * @flags: VSC_VMBUS_SEND_COMPLETION to ask the host for a completion;
 *	VSC_VMBUS_SEND_DEFER to leave the signal the write calls for to a
 *	later send without it or to vsc_vmbus_kick() (xmit_more)
 *
 * Any context; never sleeps. Return: 0; -ENOSPC when the ring is full now
 * (see vsc_vmbus_send_wait()); -EIO when the ring is broken; -ENOTCONN
 * when the channel is not open; -ENODEV when the host rescinded it.
 */
int vsc_vmbus_send_flags(struct vsc_vmbus_channel *ch, const void *buf,
			 u32 len, u64 trans_id, u32 flags)
{
	return vsc_vmbus_send_pkt(ch, VSC_PKT_DATA_INBAND,
				  flags & VSC_VMBUS_SEND_COMPLETION ?
				  VSC_PKT_FLAG_COMPLETION_REQUESTED : 0,
				  trans_id, NULL, 0, buf, len, flags);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_flags);

/**
 * vsc_vmbus_send() - send an in-band packet
 * @ch: an open channel
 * @buf: payload
 * @len: its length
 * @trans_id: request id (see docs/design.md: generation << 32 | (tag + 1))
 * @want_completion: ask the host for a completion packet
 *
 * Return: as vsc_vmbus_send_flags().
 */
int vsc_vmbus_send(struct vsc_vmbus_channel *ch, const void *buf, u32 len,
		   u64 trans_id, bool want_completion)
{
	return vsc_vmbus_send_flags(ch, buf, len, trans_id,
				    want_completion ? VSC_VMBUS_SEND_COMPLETION : 0);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send);

/**
 * vsc_vmbus_send_completion() - answer a host request with a completion
 * @ch: an open channel
 * @buf: payload
 * @len: its length
 * @trans_id: the transaction id of the host's request
 *
 * Return: as vsc_vmbus_send_flags().
 */
int vsc_vmbus_send_completion(struct vsc_vmbus_channel *ch, const void *buf,
			      u32 len, u64 trans_id)
{
	return vsc_vmbus_send_pkt(ch, VSC_PKT_COMPLETION, 0, trans_id, NULL, 0,
				  buf, len, 0);
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
 * Return: as vsc_vmbus_send_flags().
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
				  ranges, ranges_len, buf, len, 0);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_gpa);

/**
 * vsc_vmbus_kick() - send the signal deferred sends left owing
 * @ch: the channel
 *
 * After a burst of sends with VSC_VMBUS_SEND_DEFER. Signals only if one
 * of them called for it (the host saw an empty ring before, and had not
 * masked its interrupts). Any context.
 */
void vsc_vmbus_kick(struct vsc_vmbus_channel *ch)
{
	unsigned long flags;
	bool sig;

	spin_lock_irqsave(&ch->out_lock, flags);
	sig = ch->out_owed && READ_ONCE(ch->state) == VSC_CHAN_OPEN;
	ch->out_owed = false;
	if (sig)
		ch->signals_deferred++;
	spin_unlock_irqrestore(&ch->out_lock, flags);
	if (sig)
		vsc_vmbus_signal_host(ch);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_kick);

/**
 * vsc_vmbus_send_room() - room in the outbound ring now
 * @ch: the channel
 *
 * Return: the bytes a packet may take (descriptor and padding included),
 * or -ENOTCONN, -EIO.
 */
int vsc_vmbus_send_room(struct vsc_vmbus_channel *ch)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&ch->out_lock, flags);
	if (READ_ONCE(ch->state) == VSC_CHAN_OPEN)
		ret = vsc_ring_write_avail(&ch->out);
	spin_unlock_irqrestore(&ch->out_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_room);

/* The wait's condition: room for @need bytes, or a reason to stop. */
static bool vsc_vmbus_room_or_gone(struct vsc_vmbus_channel *ch, u32 need,
				   int *ret)
{
	unsigned long flags;
	bool done = true;
	int room;

	spin_lock_irqsave(&ch->out_lock, flags);
	if (READ_ONCE(ch->state) != VSC_CHAN_OPEN) {
		*ret = -ENOTCONN;
	} else if (READ_ONCE(ch->rescinded)) {
		*ret = -ENODEV;
	} else if (READ_ONCE(ch->in.broken)) {
		*ret = -EIO;
	} else {
		room = vsc_ring_write_avail(&ch->out);
		*ret = room < 0 ? room : 0;
		done = room < 0 || room >= need;
	}
	spin_unlock_irqrestore(&ch->out_lock, flags);
	return done;
}

/**
 * vsc_vmbus_send_wait() - wait until the outbound ring has room
 * @ch: an open channel
 * @len: bytes of the packet to come after its descriptor: the payload,
 *	and for a GPA-direct packet its ranges too
 * @timeout: in jiffies
 *
 * Sends a signal deferred sends left owing (vsc_vmbus_kick()), then sets
 * the ring's pending_send_sz, so that the host signals the channel
 * when it has read enough, and sleeps until that signal (or close, or a
 * rescind, or the channel breaking). Process context; may sleep. Then the caller sends again; a
 * second writer may have taken the room meanwhile.
 *
 * Return: 0 when there is room; -ETIMEDOUT; -ENOTCONN; -ENODEV; -EIO;
 * -EMSGSIZE for a packet that can never fit this ring.
 */
int vsc_vmbus_send_wait(struct vsc_vmbus_channel *ch, u32 len, long timeout)
{
	u32 need = vsc_ring_pkt_space(sizeof(struct vsc_packet_desc) + len);
	unsigned long flags;
	int ret = -ENOTCONN;
	bool last;
	long left;

	might_sleep();
	/* A host not told of deferred packets would make no room. */
	vsc_vmbus_kick(ch);
	spin_lock_irqsave(&ch->out_lock, flags);
	if (READ_ONCE(ch->state) == VSC_CHAN_OPEN)
		ret = vsc_ring_set_pending_send(&ch->out, need);
	if (!ret)
		ch->send_waits++;
	spin_unlock_irqrestore(&ch->out_lock, flags);
	if (ret < 0)
		return ret;
	if (!ret) {
		left = wait_event_timeout(ch->send_wq,
					  vsc_vmbus_room_or_gone(ch, need, &ret),
					  timeout);
		if (!left)
			ret = -ETIMEDOUT;
	} else {
		ret = 0;
	}
	spin_lock_irqsave(&ch->out_lock, flags);
	/*
	 * The last waiter takes the request back. waitqueue_active() may miss
	 * a waiter just arriving: that one sets pending_send_sz again itself,
	 * under out_lock, after we dropped it; at worst the host signals once
	 * more than needed.
	 */
	last = !waitqueue_active(&ch->send_wq);
	if (last && READ_ONCE(ch->state) == VSC_CHAN_OPEN)
		vsc_ring_clear_pending_send(&ch->out);
	spin_unlock_irqrestore(&ch->out_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_send_wait);
