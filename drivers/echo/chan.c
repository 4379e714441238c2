// SPDX-License-Identifier: GPL-2.0
/*
 * One echo channel: opening and closing it, sending a test packet (waiting
 * for room while the ring is full), and reading what the host sends back,
 * in interrupt or polled mode. Every answer is checked byte for byte and
 * counted on the channel; the tests in run.c, bench.c and cycle.c read the
 * counts.
 */
#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "echo.h"

static const u32 echo_sizes[] = { 0, 16, 100, 1000, 4000, 8192, 20000, ECHO_MAX_PKT };
static_assert(ARRAY_SIZE(echo_sizes) == ECHO_NSIZES);

/* The payload length of packet @seq of a run: every size, mixed. */
static u32 echo_len(u32 seq)
{
	return echo_sizes[(seq * 7 + seq / 8) % ARRAY_SIZE(echo_sizes)];
}

static bool echo_check(const struct echo_dev *e, const u8 *p, u32 len, u32 *seq)
{
	const struct vsc_echo_msg *m = (const void *)p;
	u32 i, n, seed, want;

	if (len < sizeof(*m) ||
	    le32_to_cpu(m->magic) != (e->sink ? VSC_ECHO_MAGIC_SINK : VSC_ECHO_MAGIC))
		return false;
	n = le32_to_cpu(m->len);
	seed = le32_to_cpu(m->seed);
	*seq = le32_to_cpu(m->seq);
	want = e->sink ? 0 : e->fixed_len ? e->fixed_len : echo_len(*seq);
	/* VMBus packets come padded to 8 bytes: the header says how much is ours. */
	if (n != want || n > len - sizeof(*m) || len - sizeof(*m) - n >= 8)
		return false;
	for (i = 0; i < n; i++)
		if (p[sizeof(*m) + i] != vsc_echo_byte(seed, i))
			return false;
	return true;
}

/* The host's answer to our CTRL: kept for the waiting writer. */
static void echo_ctrl_answer(struct echo_dev *e, const u8 *p, u32 len)
{
	e->ctrl_ok = len >= sizeof(e->ctrl_answer);
	if (e->ctrl_ok)
		memcpy(&e->ctrl_answer, p, sizeof(e->ctrl_answer));
	complete(&e->ctrl_done);
}

/* A protocol violation: the channel is dead, its waiters fail now. */
static void echo_broken(struct echo_chan *ec, const char *reason)
{
	atomic_inc(&ec->unknown);
	if (reason)
		vsc_vmbus_chan_broken(ec->ch, reason);
	WRITE_ONCE(ec->broken, true);
	wake_up_all(&ec->e->wq);
}

/*
 * One packet from the host; runs inside a receive batch (the bus's read
 * lock held), so it must not call back into the bus. Return: NULL, or why
 * the channel is broken (the caller reports it after the batch).
 */
const char *echo_handle(struct echo_chan *ec, const struct vsc_ring_pkt *pkt)
{
	struct echo_dev *e = ec->e;
	void *rctx;
	u32 seq;

	if (pkt->type == VSC_PKT_COMPLETION) {
		if (vsc_vmbus_rqstor_take(&ec->rq, pkt->trans_id, &rctx)) {
			/* Answers to requests a close dropped may still come. */
			if (READ_ONCE(ec->cycling)) {
				atomic_inc(&ec->stale);
				return NULL;
			}
			return "completion for an unknown request id";
		}
		if (rctx == ECHO_CTRL_CTX) {
			echo_ctrl_answer(e, pkt->data, pkt->data_len);
			return NULL;
		}
		if (!echo_check(e, pkt->data, pkt->data_len, &seq) ||
		    seq != (uintptr_t)rctx - 1)
			atomic_inc(&ec->bad);
		else
			atomic_inc(&ec->ok);
	} else if (pkt->type == VSC_PKT_DATA_INBAND) {
		if (!echo_check(e, pkt->data, pkt->data_len, &seq) ||
		    seq >= ec->rounds || !test_and_clear_bit(seq, ec->inband))
			atomic_inc(READ_ONCE(ec->cycling) ? &ec->stale : &ec->bad);
		else
			atomic_inc(&ec->ok);
	} else {
		return "packet type the echo protocol does not have";
	}
	atomic_dec_if_positive(&ec->outstanding);
	wake_up(&e->wq);
	return NULL;
}

/*
 * Reads at most @budget packets in one batch: one lock, one read index
 * update and one signal decision for all of them. Return: packets read,
 * or -1 when the channel broke.
 */
static int echo_poll(struct echo_chan *ec, int budget)
{
	const char *why = NULL;
	struct vsc_ring_pkt pkt;
	int n = 0, ret;
	u32 len;

	ret = vsc_vmbus_recv_begin(ec->ch);
	while (!ret && !why && n < budget) {
		ret = vsc_vmbus_recv_pkt(ec->ch, &pkt, &len);
		if (!ret)
			why = echo_handle(ec, &pkt);
		n += !ret;
	}
	vsc_vmbus_recv_end(ec->ch);
	if (why || ret == -EIO || ret == -EMSGSIZE) {
		/* -EIO: the bus logged why; the others are ours to say. */
		echo_broken(ec, ret == -EMSGSIZE ? "packet larger than the protocol's" : why);
		return -1;
	}
	return n;
}

/*
 * Interrupt mode: the bus unmasks and calls again while packets are left.
 * Polled mode: as a NAPI poll, this decides. A spent budget comes back
 * later; a drained ring unmasks and looks once more, since the host wrote
 * without interrupting while the mask was set.
 */
static void echo_onchannel(struct vsc_vmbus_channel *ch, void *ctx)
{
	struct echo_chan *ec = ctx;
	int n = echo_poll(ec, ECHO_BUDGET);

	if (!echo_polled || n < 0)
		return;
	if (n < ECHO_BUDGET && vsc_vmbus_unmask(ch) <= 0)
		return;
	vsc_vmbus_mask(ch);
	vsc_vmbus_schedule(ch);
}

/*
 * Sends packet @seq, and while the ring is full waits for the host's
 * signal that it made room (pending_send_sz), then sends again. A
 * request's id is taken under the bus's send lock and freed by the bus if
 * the send fails.
 */
int echo_send_one(struct echo_chan *ec, u32 seq)
{
	struct echo_dev *e = ec->e;
	struct vsc_echo_msg *m = (void *)ec->txbuf;
	u32 n = e->fixed_len ? e->fixed_len : echo_len(seq);
	u32 seed = seq * 2654435761U, i;
	bool want = e->fixed_len || seq % 4 != 3;
	u32 flags = echo_xmit_more ? VSC_VMBUS_SEND_DEFER : 0;
	unsigned long deadline;
	int ret;

	m->magic = cpu_to_le32(e->sink ? VSC_ECHO_MAGIC_SINK : VSC_ECHO_MAGIC);
	m->seq = cpu_to_le32(seq);
	m->len = cpu_to_le32(n);
	m->seed = cpu_to_le32(seed);
	for (i = 0; i < n; i++)
		ec->txbuf[sizeof(*m) + i] = vsc_echo_byte(seed, i);
	if (!want)
		set_bit(seq, ec->inband);
	/* A host that stops reading fails the run in 10 s, however slow the clock. */
	deadline = jiffies + 10 * HZ;
	for (;;) {
		if (want)
			ret = vsc_vmbus_send_req(ec->ch, &ec->rq,
						 (void *)(uintptr_t)(seq + 1), m,
						 sizeof(*m) + n, flags);
		else
			ret = vsc_vmbus_send_flags(ec->ch, m, sizeof(*m) + n, 0,
						   flags);
		if (ret != -ENOSPC || READ_ONCE(ec->gone))
			break;
		ret = vsc_vmbus_send_wait(ec->ch, sizeof(*m) + n,
					  max_t(long, deadline - jiffies, 1));
		if (ret)
			break;
	}
	if (ret && !want)
		clear_bit(seq, ec->inband);
	return READ_ONCE(ec->gone) ? -ENODEV : ret;
}

/* Fewer than @below packets in flight, or nothing more will come. */
bool echo_idle(struct echo_chan *ec, int below)
{
	return atomic_read(&ec->outstanding) < below || READ_ONCE(ec->gone) ||
	       READ_ONCE(ec->broken);
}

/* The bus found a ring corrupt: the run in flight fails now. */
static void echo_chan_broken(struct vsc_vmbus_channel *ch, void *ctx)
{
	struct echo_chan *ec = ctx;

	WRITE_ONCE(ec->broken, true);
	wake_up_all(&ec->e->wq);
}

/* The channel moved (sysfs cpu file, CPU hotplug): echo_result says where. */
static void echo_cpu_changed(struct vsc_vmbus_channel *ch, void *ctx,
			     int old_cpu)
{
	struct echo_chan *ec = ctx;

	WRITE_ONCE(ec->cpu, vsc_vmbus_channel_cpu(ch));
	dev_dbg(&ec->e->vdev->dev, "relid %u: CPU %d to %d\n",
		vsc_vmbus_channel_relid(ch), old_cpu, ec->cpu);
}

/* Opens (or, in echo_cycle, reopens) @ec's channel on its CPU. */
int echo_open(struct echo_chan *ec)
{
	const struct vsc_vmbus_open_opts o = {
		.send_bytes = ECHO_RING,
		.recv_bytes = ECHO_RING,
		.cpu = ec->cpu,
		.flags = echo_polled ? VSC_VMBUS_OPEN_POLLED : 0,
		.max_pkt = ECHO_BUF,
		.onchannel = echo_onchannel,
		.ctx = ec,
		.broken = echo_chan_broken,
		.cpu_changed = echo_cpu_changed,
	};

	return vsc_vmbus_open_with(ec->ch, &o);
}

static void echo_chan_free(struct echo_chan *ec)
{
	vsc_vmbus_rqstor_destroy(&ec->rq);
	bitmap_free(ec->inband);
	kfree(ec->rxbuf);
	kfree(ec->txbuf);
	kfree(ec);
}

/* Opens @ch on @cpu for @e; the new channel, or an ERR_PTR. */
struct echo_chan *echo_chan_open(struct echo_dev *e,
				 struct vsc_vmbus_channel *ch, int cpu)
{
	struct echo_chan *ec = kzalloc(sizeof(*ec), GFP_KERNEL);
	int ret;

	if (!ec)
		return ERR_PTR(-ENOMEM);
	ec->e = e;
	ec->ch = ch;
	ec->cpu = cpu;
	ec->rxbuf = kmalloc(ECHO_BUF, GFP_KERNEL);
	ec->txbuf = kmalloc(ECHO_BUF, GFP_KERNEL);
	ret = ec->rxbuf && ec->txbuf ? 0 : -ENOMEM;
	if (!ret)
		ret = vsc_vmbus_rqstor_init(&ec->rq, ECHO_WINDOW);
	if (ret) {
		kfree(ec->rxbuf);
		kfree(ec->txbuf);
		kfree(ec);
		return ERR_PTR(ret);
	}
	ret = echo_open(ec);
	if (ret) {
		echo_chan_free(ec);
		return ERR_PTR(ret);
	}
	mutex_lock(&e->chans_lock);
	list_add_tail(&ec->node, &e->chans);
	mutex_unlock(&e->chans_lock);
	return ec;
}

/* Stops runs on @ec, closes it and frees it. */
void echo_chan_close(struct echo_dev *e, struct echo_chan *ec)
{
	WRITE_ONCE(ec->gone, true);
	wake_up_all(&e->wq);
	/* A run that uses @ec ends soon now; wait for it. */
	mutex_lock(&e->run_lock);
	mutex_lock(&e->chans_lock);
	list_del(&ec->node);
	mutex_unlock(&e->chans_lock);
	mutex_unlock(&e->run_lock);
	vsc_vmbus_close(ec->ch);
	echo_chan_free(ec);
}
