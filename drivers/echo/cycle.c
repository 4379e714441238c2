// SPDX-License-Identifier: GPL-2.0
/*
 * The echo_cycle test, for close's races: writing a count to "echo_cycle"
 * closes the primary channel and opens it again that many times, each
 * time with packets of every size in flight and a thread reading the
 * channel outside the callback. Answers a close cut off are counted as
 * stale, not as errors; an "echo_run" afterwards proves the channel still
 * works.
 */
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/kthread.h>

#include "echo.h"

/*
 * The reader: takes packets outside the callback, as a driver's
 * process-context path may, racing with the callback and with close.
 */
static int echo_reader(void *arg)
{
	struct echo_chan *ec = arg;
	struct vsc_ring_pkt pkt;
	u32 len;

	while (!kthread_should_stop()) {
		if (!vsc_vmbus_recv(ec->ch, ec->rxbuf, ECHO_BUF, &len) &&
		    !vsc_ring_pkt_parse(ec->rxbuf, len, VSC_RING_VIEW_GUEST, &pkt))
			echo_handle(ec, &pkt);
		else
			usleep_range(100, 200);
	}
	return 0;
}

/*
 * Closes and opens the primary @times times, the reader running; run_lock
 * held. Return: 0, or why an open failed.
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
		/* One packet of each size, then close under them. */
		for (seq = 0; seq < ECHO_NSIZES; seq++) {
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

static struct attribute *echo_cycle_attrs[] = {
	&dev_attr_echo_cycle.attr,
	NULL,
};

const struct attribute_group echo_cycle_group = {
	.attrs = echo_cycle_attrs,
};
