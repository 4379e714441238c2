// SPDX-License-Identifier: GPL-2.0
/*
 * The echo_run test: writing a count to "echo_run" sends that many packets
 * of mixed sizes on every open channel of the device at once, the primary
 * from the writer and each sub-channel from a work item, at most
 * ECHO_WINDOW in flight per channel, and waits for every answer.
 * "echo_result" reads the totals, then a line per channel. echo_bench
 * (bench.c) runs one channel the same way.
 */
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/slab.h>

#include "echo.h"

/*
 * Sends @rounds packets on @ec, with e->window in flight at most, and
 * waits for the answers; run_lock held. Return: 0 when every packet came
 * back intact, else why not (also kept in ec->last).
 */
int echo_run_chan(struct echo_chan *ec, u32 rounds)
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
		if (echo_xmit_more && (seq % 8 == 0 || !echo_idle(ec, e->window)))
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
	if (echo_xmit_more)
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

static struct attribute *echo_run_attrs[] = {
	&dev_attr_echo_run.attr,
	&dev_attr_echo_result.attr,
	NULL,
};

const struct attribute_group echo_run_group = {
	.attrs = echo_run_attrs,
};
