// SPDX-License-Identifier: GPL-2.0
/*
 * Test driver for vsp-sim's echo device (include/vsc/echo.h). Binds by
 * alias, opens the channel on a CPU chosen by relid (so that two echo
 * devices land on different CPUs), and runs a test when a count is written
 * to the device's "echo_run" file: that many packets of mixed sizes, some
 * larger than half the ring, every fourth without a completion request
 * (the host then echoes in-band), each echo checked byte for byte.
 * "echo_result" reads the outcome. "echo_bench" takes "SIZE COUNT WINDOW
 * SINK": COUNT packets of SIZE bytes with at most WINDOW in flight, echoed
 * (SINK 0) or sunk (SINK 1, the host answers with the header only), and
 * reads back the time it took.
 *
 * Sub-channels: writing N to "echo_subchannels" sends the device a CTRL
 * SUBCHANNELS N message (include/vsc/echo.h) and returns once the host
 * answered; the sub-channels it then offers are opened as they come,
 * round-robin over the online CPUs, and closed when rescinded or when the
 * driver unbinds. Reading the file gives "open N" and a line per open
 * sub-channel. With sub-channels open, "echo_run" runs on every channel
 * of the device at once; "echo_result" starts with the totals and has a
 * line per channel.
 *
 * Modes: the module parameter "polled" opens every channel in polled mode
 * (the driver owns the host's interrupt mask, as NAPI does) and reads
 * batches into the bus's own packet buffer; otherwise interrupt mode.
 * Either way a full ring makes the writer wait on pending_send_sz for the
 * host's signal, never sleep and retry. "xmit_more" defers each send's
 * signal and kicks once per burst of eight, as a NIC's xmit_more does. "echo_cycle" takes a count: the
 * primary channel is closed and opened again that many times while
 * packets are in flight and a thread reads the channel outside the
 * callback (close's races), then "echo_run" proves it still works.
 * "probe_subchannels" makes probe ask for that many sub-channels and wait
 * until the host has offered them all before it registers its sub-channel
 * callbacks: the bus must hand over those earlier offers, and must not
 * hold the device lock (which probe holds) while delivering offers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <vsc/echo.h>

#include "vmbus/vsc_vmbus.h"

#define ECHO_RING	(64 * 1024)
#define ECHO_MAX_PKT	(40 * 1024)	/* more than half the ring */
#define ECHO_WINDOW	64
#define ECHO_BUDGET	64
#define ECHO_CTRL_CTX	((void *)ULONG_MAX)	/* rqstor context of a CTRL */

static bool polled;
module_param(polled, bool, 0444);
MODULE_PARM_DESC(polled, "open channels in polled mode (the driver owns the interrupt mask)");

static bool xmit_more;
module_param(xmit_more, bool, 0444);
MODULE_PARM_DESC(xmit_more, "defer each send's signal; kick every 8 packets and before waiting");

static unsigned int probe_subchannels;
module_param(probe_subchannels, uint, 0444);
MODULE_PARM_DESC(probe_subchannels, "sub-channels probe asks for, lets the host offer, then takes");

static const u32 echo_sizes[] = { 0, 16, 100, 1000, 4000, 8192, 20000, ECHO_MAX_PKT };

struct echo_dev;

/* One channel of the device (the primary or a sub-channel) and its run. */
struct echo_chan {
	struct list_head node;		/* in echo_dev.chans */
	struct echo_dev *e;
	struct vsc_vmbus_channel *ch;
	int cpu;
	bool gone;			/* rescinded: a run stops waiting */
	bool broken;			/* the host broke the channel */
	bool cycling;			/* echo_cycle: stale answers expected */
	struct vsc_vmbus_rqstor rq;
	u8 *rxbuf;
	u8 *txbuf;
	unsigned long *inband;		/* seqs expected back in-band */
	u32 rounds;
	atomic_t outstanding;
	atomic_t ok, bad, unknown, stale;
	int last;
	struct work_struct run_work;
};

struct echo_dev {
	struct vsc_vmbus_device *vdev;
	struct mutex run_lock;		/* one test or CTRL at a time */
	struct mutex chans_lock;	/* @chans */
	struct list_head chans;		/* the primary first */
	struct echo_chan *primary;
	wait_queue_head_t wq;
	u32 fixed_len;			/* bench: every packet this size */
	bool sink;			/* bench: one-way */
	u32 window;
	u64 bench_ns;
	u32 next_rr;			/* sub-channels opened so far */
	atomic_t running;		/* sub-channel runs not done */
	struct completion ctrl_done;
	struct vsc_echo_ctrl ctrl_answer;
	bool ctrl_ok;			/* the answer parsed */
	u32 gpadl_mib;			/* echo_gpadl: the last size */
	int gpadl_status;		/* and its outcome */
	u64 gpadl_ns[2];		/* create, teardown */
};

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
static const char *echo_handle(struct echo_chan *ec,
			       const struct vsc_ring_pkt *pkt)
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

	if (!polled || n < 0)
		return;
	if (n < ECHO_BUDGET && vsc_vmbus_unmask(ch) <= 0)
		return;
	vsc_vmbus_mask(ch);
	vsc_vmbus_schedule(ch);
}

/*
 * Sends, and while the ring is full waits for the host's signal that it
 * made room (pending_send_sz), then sends again. A request's id is taken
 * under the bus's send lock and freed by the bus if the send fails.
 */
static int echo_send_one(struct echo_chan *ec, u32 seq)
{
	struct echo_dev *e = ec->e;
	struct vsc_echo_msg *m = (void *)ec->txbuf;
	u32 n = e->fixed_len ? e->fixed_len : echo_len(seq);
	u32 seed = seq * 2654435761U, i;
	bool want = e->fixed_len || seq % 4 != 3;
	u32 flags = xmit_more ? VSC_VMBUS_SEND_DEFER : 0;
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

static bool echo_idle(struct echo_chan *ec, int below)
{
	return atomic_read(&ec->outstanding) < below || READ_ONCE(ec->gone) ||
	       READ_ONCE(ec->broken);
}

static int echo_run_chan(struct echo_chan *ec, u32 rounds)
{
	struct echo_dev *e = ec->e;
	u32 seq;
	int ret = 0;

	if (READ_ONCE(ec->gone))
		return -ENODEV;
	bitmap_free(ec->inband);
	ec->inband = bitmap_zalloc(rounds, GFP_KERNEL);
	if (!ec->inband)
		return -ENOMEM;
	ec->rounds = rounds;
	atomic_set(&ec->ok, 0);
	atomic_set(&ec->bad, 0);
	atomic_set(&ec->unknown, 0);
	for (seq = 0; seq < rounds && !ret; seq++) {
		/* xmit_more: the host hears of a burst once, or before we wait. */
		if (xmit_more && (seq % 8 == 0 || !echo_idle(ec, e->window)))
			vsc_vmbus_kick(ec->ch);
		if (!wait_event_timeout(e->wq, echo_idle(ec, e->window), 30 * HZ)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (READ_ONCE(ec->gone)) {
			ret = -ENODEV;
			break;
		}
		if (READ_ONCE(ec->broken))
			break;
		atomic_inc(&ec->outstanding);
		ret = echo_send_one(ec, seq);
		if (ret)
			atomic_dec(&ec->outstanding);
		if (ret == -EIO)	/* a ring the host corrupted */
			WRITE_ONCE(ec->broken, true);
	}
	if (xmit_more)
		vsc_vmbus_kick(ec->ch);
	if (!wait_event_timeout(e->wq, echo_idle(ec, 1), 60 * HZ) && !ret)
		ret = -ETIMEDOUT;
	if (!ret && READ_ONCE(ec->gone))
		ret = -ENODEV;
	/* A broken channel fails the run and every request still pending. */
	if (READ_ONCE(ec->broken))
		ret = -EIO;
	if (!ret && (atomic_read(&ec->ok) != rounds || atomic_read(&ec->bad) ||
		     atomic_read(&ec->unknown)))
		ret = -EIO;
	dev_info(&e->vdev->dev, "echo relid %u: %u packets, %d ok, %d bad, %d unknown, %d outstanding: %d\n",
		 vsc_vmbus_channel_relid(ec->ch), rounds, atomic_read(&ec->ok),
		 atomic_read(&ec->bad), atomic_read(&ec->unknown),
		 atomic_read(&ec->outstanding), ret);
	ec->last = ret;
	return ret;
}

static void echo_run_work(struct work_struct *work)
{
	struct echo_chan *ec = container_of(work, struct echo_chan, run_work);
	struct echo_dev *e = ec->e;

	echo_run_chan(ec, ec->rounds);
	atomic_dec(&e->running);
	wake_up_all(&e->wq);
}

/*
 * Runs on every channel at once: the primary in the caller, each open
 * sub-channel in a work item. run_lock is held, so none of them goes away
 * meanwhile (a sub-channel offered meanwhile waits for the next run). The
 * first error counts.
 */
static int echo_run_all(struct echo_dev *e, u32 rounds)
{
	struct echo_chan *ec, **run;
	unsigned int i, n = 0;
	int ret;

	run = kcalloc(VSC_VMBUS_MAX_SUBCHANNELS, sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	mutex_lock(&e->chans_lock);
	list_for_each_entry(ec, &e->chans, node) {
		if (ec == e->primary || n == VSC_VMBUS_MAX_SUBCHANNELS)
			continue;
		ec->rounds = rounds;
		INIT_WORK(&ec->run_work, echo_run_work);
		run[n++] = ec;
	}
	mutex_unlock(&e->chans_lock);
	atomic_set(&e->running, n);
	for (i = 0; i < n; i++)
		queue_work(system_unbound_wq, &run[i]->run_work);
	ret = echo_run_chan(e->primary, rounds);
	/* Waits in short naps: a long run is not a hung task. */
	while (!wait_event_timeout(e->wq, !atomic_read(&e->running), HZ))
		;
	for (i = 0; i < n; i++) {
		flush_work(&run[i]->run_work);
		if (!ret)
			ret = run[i]->last;
	}
	kfree(run);
	return ret;
}

static ssize_t echo_run_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	u32 rounds;
	int ret;

	ret = kstrtou32(buf, 0, &rounds);
	if (ret || !rounds)
		return -EINVAL;
	mutex_lock(&e->run_lock);
	e->fixed_len = 0;
	e->sink = false;
	e->window = ECHO_WINDOW;
	ret = echo_run_all(e, rounds);
	mutex_unlock(&e->run_lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(echo_run);

static ssize_t echo_result_show(struct device *dev, struct device_attribute *attr,
				char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	int ok = 0, bad = 0, unknown = 0, last = 0, n;
	struct echo_chan *ec;

	mutex_lock(&e->chans_lock);
	list_for_each_entry(ec, &e->chans, node) {
		ok += atomic_read(&ec->ok);
		bad += atomic_read(&ec->bad);
		unknown += atomic_read(&ec->unknown);
		if (!last)
			last = ec->last;
	}
	n = sysfs_emit(buf, "ok %d bad %d unknown %d status %d\n", ok, bad,
		       unknown, last);
	list_for_each_entry(ec, &e->chans, node)
		n += sysfs_emit_at(buf, n, "channel %u cpu %d ok %d bad %d unknown %d status %d\n",
				   vsc_vmbus_channel_relid(ec->ch), ec->cpu,
				   atomic_read(&ec->ok), atomic_read(&ec->bad),
				   atomic_read(&ec->unknown), ec->last);
	mutex_unlock(&e->chans_lock);
	return n;
}
static DEVICE_ATTR_RO(echo_result);

static ssize_t echo_bench_store(struct device *dev, struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	u32 size, rounds, window, sink;
	u64 t0;
	int ret;

	if (sscanf(buf, "%u %u %u %u", &size, &rounds, &window, &sink) != 4 ||
	    !size || size > ECHO_MAX_PKT || !rounds || !window ||
	    window > ECHO_WINDOW)
		return -EINVAL;
	mutex_lock(&e->run_lock);
	e->fixed_len = size;
	e->sink = sink;
	e->window = window;
	t0 = ktime_get_ns();
	ret = echo_run_chan(e->primary, rounds);
	e->bench_ns = ktime_get_ns() - t0;
	e->fixed_len = 0;
	e->sink = false;
	mutex_unlock(&e->run_lock);
	return ret ? ret : count;
}

static ssize_t echo_bench_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);

	return sysfs_emit(buf, "packets %d ns %llu\n", atomic_read(&e->primary->ok),
			  e->bench_ns);
}
static DEVICE_ATTR_RW(echo_bench);

/*
 * echo_gpadl: shares a buffer of the MiB written with the host as one
 * GPADL on the primary and takes it back, timing both; reading gives the
 * last outcome. netvsc's receive buffer is 16 MiB by default, 31 at most.
 */
static ssize_t echo_gpadl_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	struct vsc_vmbus_channel *ch = e->primary->ch;
	u32 mib, handle;
	u64 t0, t1, t2;
	void *mem;
	int ret;

	ret = kstrtou32(buf, 0, &mib);
	if (ret || !mib || mib > 64)
		return -EINVAL;
	mem = vzalloc(mib << 20);
	if (!mem)
		return -ENOMEM;
	mutex_lock(&e->run_lock);
	t0 = ktime_get_ns();
	ret = vsc_vmbus_gpadl_create(ch, mem, mib << 20, &handle);
	t1 = ktime_get_ns();
	if (!ret)
		ret = vsc_vmbus_gpadl_teardown(ch, handle) ? -ETIMEDOUT : 0;
	t2 = ktime_get_ns();
	e->gpadl_mib = mib;
	e->gpadl_status = ret;
	e->gpadl_ns[0] = t1 - t0;
	e->gpadl_ns[1] = t2 - t1;
	mutex_unlock(&e->run_lock);
	/* A host that may still hold the pages keeps them. */
	if (ret != -ETIMEDOUT)
		vfree(mem);
	return ret ? ret : count;
}

static ssize_t echo_gpadl_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);

	return sysfs_emit(buf, "mib %u create_ns %llu teardown_ns %llu status %d\n",
			  e->gpadl_mib, e->gpadl_ns[0], e->gpadl_ns[1],
			  e->gpadl_status);
}
static DEVICE_ATTR_RW(echo_gpadl);

static int echo_open(struct echo_chan *ec);

/*
 * echo_cycle's reader: takes packets outside the callback, as a driver's
 * process-context path may, racing with the callback and with close.
 */
static int echo_reader(void *arg)
{
	struct echo_chan *ec = arg;
	struct vsc_ring_pkt pkt;
	u32 len;

	while (!kthread_should_stop()) {
		if (!vsc_vmbus_recv(ec->ch, ec->rxbuf, ECHO_MAX_PKT + 256, &len) &&
		    !vsc_ring_pkt_parse(ec->rxbuf, len, VSC_RING_VIEW_GUEST, &pkt))
			echo_handle(ec, &pkt);
		else
			usleep_range(100, 200);
	}
	return 0;
}

/*
 * Closes and opens the primary @times times, each time with packets of
 * every size in flight and the reader running; run_lock held. Answers a
 * close cut off are stale, not errors. Return: 0, or why an open failed.
 */
static int echo_cycle(struct echo_dev *e, u32 times)
{
	struct echo_chan *ec = e->primary;
	struct task_struct *reader;
	u32 i, seq;
	int ret = 0;

	bitmap_free(ec->inband);
	ec->inband = bitmap_zalloc(ECHO_WINDOW, GFP_KERNEL);
	if (!ec->inband)
		return -ENOMEM;
	ec->rounds = ECHO_WINDOW;
	atomic_set(&ec->stale, 0);
	atomic_set(&ec->ok, 0);
	atomic_set(&ec->bad, 0);
	WRITE_ONCE(ec->cycling, true);
	reader = kthread_run(echo_reader, ec, "echo_reader/%u",
			     vsc_vmbus_channel_relid(ec->ch));
	if (IS_ERR(reader)) {
		WRITE_ONCE(ec->cycling, false);
		return PTR_ERR(reader);
	}
	for (i = 0; i < times && !ret && !READ_ONCE(ec->gone); i++) {
		for (seq = 0; seq < ARRAY_SIZE(echo_sizes); seq++) {
			atomic_inc(&ec->outstanding);
			if (echo_send_one(ec, seq))
				atomic_dec(&ec->outstanding);
		}
		vsc_vmbus_close(ec->ch);
		vsc_vmbus_rqstor_drain(&ec->rq, NULL, NULL);
		bitmap_zero(ec->inband, ec->rounds);
		atomic_set(&ec->outstanding, 0);
		WRITE_ONCE(ec->broken, false);
		ret = echo_open(ec);
	}
	kthread_stop(reader);
	WRITE_ONCE(ec->cycling, false);
	atomic_set(&ec->outstanding, 0);
	dev_info(&e->vdev->dev, "echo relid %u: %u of %u close/open cycles, %d answers before a close, %d stale: %d\n",
		 vsc_vmbus_channel_relid(ec->ch), i, times,
		 atomic_read(&ec->ok) + atomic_read(&ec->bad),
		 atomic_read(&ec->stale), ret);
	return ret;
}

static ssize_t echo_cycle_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	u32 times;
	int ret;

	ret = kstrtou32(buf, 0, &times);
	if (ret || !times)
		return -EINVAL;
	mutex_lock(&e->run_lock);
	e->fixed_len = 0;
	e->sink = false;
	ret = echo_cycle(e, times);
	mutex_unlock(&e->run_lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(echo_cycle);

/* CTRL SUBCHANNELS n on the primary; run_lock held. */
static int echo_ctrl_subchannels(struct echo_dev *e, u32 n)
{
	struct echo_chan *ec = e->primary;
	struct vsc_echo_ctrl m = {
		.magic = cpu_to_le32(VSC_ECHO_MAGIC_CTRL),
		.op = cpu_to_le32(VSC_ECHO_OP_SUBCHANNELS),
		.arg = cpu_to_le32(n),
	};
	int ret;

	reinit_completion(&e->ctrl_done);
	ret = vsc_vmbus_send_req(ec->ch, &ec->rq, ECHO_CTRL_CTX, &m, sizeof(m), 0);
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&e->ctrl_done, 10 * HZ))
		return -ETIMEDOUT;	/* the slot stays taken: the id may come */
	if (!e->ctrl_ok || le32_to_cpu(e->ctrl_answer.magic) != VSC_ECHO_MAGIC_CTRL)
		return -EIO;
	switch (le32_to_cpu(e->ctrl_answer.status)) {
	case VSC_ECHO_ST_OK:
		return le32_to_cpu(e->ctrl_answer.arg) == n ? 0 : -EIO;
	case VSC_ECHO_ST_RANGE:
		return -ERANGE;
	case VSC_ECHO_ST_BUSY:
		return -EBUSY;
	default:
		return -EINVAL;
	}
}

static ssize_t echo_subchannels_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	u32 n;
	int ret;

	ret = kstrtou32(buf, 0, &n);
	if (ret)
		return ret;
	mutex_lock(&e->run_lock);
	ret = echo_ctrl_subchannels(e, n);
	mutex_unlock(&e->run_lock);
	if (ret)
		dev_notice(&e->vdev->dev, "%u sub-channels: %d\n", n, ret);
	return ret ? ret : count;
}

static ssize_t echo_subchannels_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	struct echo_chan *ec;
	int n, open = 0;

	mutex_lock(&e->chans_lock);
	list_for_each_entry(ec, &e->chans, node)
		open += ec != e->primary;
	n = sysfs_emit(buf, "open %d offered %u\n", open,
		       vsc_vmbus_subchannel_count(e->vdev));
	list_for_each_entry(ec, &e->chans, node)
		if (ec != e->primary)
			n += sysfs_emit_at(buf, n, "relid %u index %u cpu %d\n",
					   vsc_vmbus_channel_relid(ec->ch),
					   vsc_vmbus_channel_index(ec->ch),
					   ec->cpu);
	mutex_unlock(&e->chans_lock);
	return n;
}
static DEVICE_ATTR_RW(echo_subchannels);

static struct attribute *echo_attrs[] = {
	&dev_attr_echo_bench.attr,
	&dev_attr_echo_cycle.attr,
	&dev_attr_echo_gpadl.attr,
	&dev_attr_echo_run.attr,
	&dev_attr_echo_result.attr,
	&dev_attr_echo_subchannels.attr,
	NULL,
};
ATTRIBUTE_GROUPS(echo);

static void echo_chan_free(struct echo_chan *ec)
{
	vsc_vmbus_rqstor_destroy(&ec->rq);
	bitmap_free(ec->inband);
	kfree(ec->rxbuf);
	kfree(ec->txbuf);
	kfree(ec);
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

static int echo_open(struct echo_chan *ec)
{
	const struct vsc_vmbus_open_opts o = {
		.send_bytes = ECHO_RING,
		.recv_bytes = ECHO_RING,
		.cpu = ec->cpu,
		.flags = polled ? VSC_VMBUS_OPEN_POLLED : 0,
		.max_pkt = ECHO_MAX_PKT + 256,
		.onchannel = echo_onchannel,
		.ctx = ec,
		.broken = echo_chan_broken,
		.cpu_changed = echo_cpu_changed,
	};

	return vsc_vmbus_open_with(ec->ch, &o);
}

/* Opens @ch on @cpu for @e; the new channel, or an ERR_PTR. */
static struct echo_chan *echo_chan_open(struct echo_dev *e,
					struct vsc_vmbus_channel *ch, int cpu)
{
	struct echo_chan *ec = kzalloc(sizeof(*ec), GFP_KERNEL);
	int ret;

	if (!ec)
		return ERR_PTR(-ENOMEM);
	ec->e = e;
	ec->ch = ch;
	ec->cpu = cpu;
	ec->rxbuf = kmalloc(ECHO_MAX_PKT + 256, GFP_KERNEL);
	ec->txbuf = kmalloc(ECHO_MAX_PKT + 256, GFP_KERNEL);
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
static void echo_chan_close(struct echo_dev *e, struct echo_chan *ec)
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

static int echo_cpu(unsigned int n)
{
	return cpumask_nth(n % num_online_cpus(), cpu_online_mask);
}

static void echo_sc_offer(struct vsc_vmbus_device *vdev,
			  struct vsc_vmbus_channel *sc)
{
	struct echo_dev *e = dev_get_drvdata(&vdev->dev);
	struct echo_chan *ec;
	int cpu;

	/* Round-robin over the online CPUs, starting after the primary's. */
	cpu = echo_cpu(vdev->relid + 1 + e->next_rr++);
	ec = echo_chan_open(e, sc, cpu);
	if (IS_ERR(ec)) {
		dev_err(&vdev->dev, "cannot open sub-channel relid %u: %ld\n",
			vsc_vmbus_channel_relid(sc), PTR_ERR(ec));
		return;
	}
	dev_info(&vdev->dev, "echo sub-channel %u (relid %u) open on CPU %d\n",
		 vsc_vmbus_channel_index(sc), vsc_vmbus_channel_relid(sc), cpu);
}

static struct echo_chan *echo_find(struct echo_dev *e,
				   struct vsc_vmbus_channel *ch)
{
	struct echo_chan *ec, *found = NULL;

	mutex_lock(&e->chans_lock);
	list_for_each_entry(ec, &e->chans, node)
		if (ec->ch == ch)
			found = ec;
	mutex_unlock(&e->chans_lock);
	return found;
}

static void echo_sc_rescind(struct vsc_vmbus_device *vdev,
			    struct vsc_vmbus_channel *sc)
{
	struct echo_dev *e = dev_get_drvdata(&vdev->dev);
	struct echo_chan *ec = echo_find(e, sc);

	if (!ec)
		return;		/* never opened */
	echo_chan_close(e, ec);
	dev_info(&vdev->dev, "echo sub-channel relid %u rescinded and closed\n",
		 vsc_vmbus_channel_relid(sc));
}

static const struct vsc_vmbus_subchannel_ops echo_sc_ops = {
	.offer = echo_sc_offer,
	.rescind = echo_sc_rescind,
};

/*
 * From probe: asks for @n sub-channels and waits (10 s at most) until the
 * host has offered them all, before any callback is registered.
 */
static void echo_probe_subchannels(struct echo_dev *e, unsigned int n)
{
	unsigned int i;
	int ret;

	mutex_lock(&e->run_lock);
	ret = echo_ctrl_subchannels(e, n);
	mutex_unlock(&e->run_lock);
	for (i = 0; !ret && i < 100; i++) {
		if (vsc_vmbus_subchannel_count(e->vdev) >= n)
			break;
		msleep(100);
	}
	dev_info(&e->vdev->dev, "probe: %u sub-channels asked for, %u offered: %d\n",
		 n, vsc_vmbus_subchannel_count(e->vdev), ret);
}

static int echo_probe(struct vsc_vmbus_device *vdev)
{
	struct echo_dev *e;
	struct echo_chan *ec;
	int cpu;

	e = devm_kzalloc(&vdev->dev, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->vdev = vdev;
	mutex_init(&e->run_lock);
	mutex_init(&e->chans_lock);
	INIT_LIST_HEAD(&e->chans);
	init_waitqueue_head(&e->wq);
	init_completion(&e->ctrl_done);
	e->window = ECHO_WINDOW;
	dev_set_drvdata(&vdev->dev, e);

	/* Spread echo devices over the CPUs by relid. */
	cpu = echo_cpu(vdev->relid);
	ec = echo_chan_open(e, vdev->channel, cpu);
	if (IS_ERR(ec))
		return PTR_ERR(ec);
	e->primary = ec;
	if (probe_subchannels)
		echo_probe_subchannels(e, probe_subchannels);
	/* Hands over sub-channels offered before, then each new offer. */
	vsc_vmbus_set_subchannel_ops(vdev, &echo_sc_ops);
	dev_info(&vdev->dev, "echo channel %u open on CPU %d\n", vdev->relid, cpu);
	return 0;
}

/* Sub-channels first, then the primary (whose close makes vsp-sim rescind them). */
static void echo_remove(struct vsc_vmbus_device *vdev)
{
	struct echo_dev *e = dev_get_drvdata(&vdev->dev);
	struct echo_chan *ec, *tmp;

	list_for_each_entry_safe(ec, tmp, &e->chans, node)
		if (ec != e->primary)
			echo_chan_close(e, ec);
	echo_chan_close(e, e->primary);
}

/* The host withdrew the device: whatever is in flight will not come back. */
static void echo_rescind(struct vsc_vmbus_device *vdev)
{
	struct echo_dev *e = dev_get_drvdata(&vdev->dev);
	struct echo_chan *ec;

	mutex_lock(&e->chans_lock);
	list_for_each_entry(ec, &e->chans, node)
		WRITE_ONCE(ec->gone, true);
	mutex_unlock(&e->chans_lock);
	wake_up_all(&e->wq);
}

static const guid_t echo_classes[] = {
	GUID_INIT(0x7673632d, 0x6563, 0x686f, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01),
	{ }
};

static struct vsc_vmbus_driver echo_driver = {
	.name = "vsc_echo",
	.classes = echo_classes,
	.probe = echo_probe,
	.remove = echo_remove,
	.rescind = echo_rescind,
	.dev_groups = echo_groups,
};

static int __init echo_init(void)
{
	return vsc_vmbus_driver_register(&echo_driver);
}

static void __exit echo_exit(void)
{
	vsc_vmbus_driver_unregister(&echo_driver);
}

module_init(echo_init);
module_exit(echo_exit);

MODULE_DESCRIPTION("Test driver for vsp-sim's VMBus echo device");
VSC_VMBUS_MODULE_CLASS(VSC_CLASS_ECHO_STR);
MODULE_LICENSE("GPL");
