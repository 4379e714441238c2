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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/delay.h>
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

static const u32 echo_sizes[] = { 0, 16, 100, 1000, 4000, 8192, 20000, ECHO_MAX_PKT };

struct echo_dev {
	struct vsc_vmbus_device *vdev;
	struct vsc_vmbus_rqstor rq;
	struct mutex run_lock;		/* one test at a time */
	wait_queue_head_t wq;
	u8 *rxbuf;
	u8 *txbuf;
	unsigned long *inband;		/* seqs expected back in-band */
	u32 rounds;
	u32 fixed_len;			/* bench: every packet this size */
	bool sink;			/* bench: one-way */
	u32 window;
	u64 bench_ns;
	atomic_t outstanding;
	atomic_t ok, bad, unknown;
	bool broken;			/* the host broke the channel */
	int last;
	bool gone;			/* rescinded: nothing comes back */
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

/* A protocol violation: the channel is dead, its waiters fail now. */
static void echo_broken(struct echo_dev *e, struct vsc_vmbus_channel *ch,
			const char *reason)
{
	atomic_inc(&e->unknown);
	if (ch)
		vsc_vmbus_chan_broken(ch, reason);
	WRITE_ONCE(e->broken, true);
	wake_up(&e->wq);
}

static void echo_onchannel(struct vsc_vmbus_channel *ch, void *ctx)
{
	struct echo_dev *e = ctx;
	struct vsc_ring_pkt pkt;
	unsigned int n;
	u32 len, seq;
	void *rctx;
	int ret;

	for (n = 0; n < ECHO_BUDGET; n++) {
		ret = vsc_vmbus_recv(ch, e->rxbuf, ECHO_MAX_PKT + 256, &len);
		if (ret == -EIO)
			echo_broken(e, NULL, NULL);
		if (ret)
			return;
		if (vsc_ring_pkt_parse(e->rxbuf, len, VSC_RING_VIEW_GUEST, &pkt)) {
			echo_broken(e, ch, "packet the echo protocol does not have");
			return;
		}
		if (pkt.type == VSC_PKT_COMPLETION) {
			if (vsc_vmbus_rqstor_take(&e->rq, pkt.trans_id, &rctx)) {
				dev_err_ratelimited(&e->vdev->dev, "completion for unknown id %#llx\n",
						    pkt.trans_id);
				echo_broken(e, ch, "completion for an unknown request id");
				return;
			}
			if (!echo_check(e, pkt.data, pkt.data_len, &seq) ||
			    seq != (uintptr_t)rctx - 1)
				atomic_inc(&e->bad);
			else
				atomic_inc(&e->ok);
		} else if (pkt.type == VSC_PKT_DATA_INBAND) {
			if (!echo_check(e, pkt.data, pkt.data_len, &seq) ||
			    seq >= e->rounds || !test_and_clear_bit(seq, e->inband))
				atomic_inc(&e->bad);
			else
				atomic_inc(&e->ok);
		} else {
			echo_broken(e, ch, "packet type the echo protocol does not have");
			return;
		}
		atomic_dec(&e->outstanding);
		wake_up(&e->wq);
	}
}

static int echo_send_one(struct echo_dev *e, u32 seq)
{
	struct vsc_echo_msg *m = (void *)e->txbuf;
	u32 n = e->fixed_len ? e->fixed_len : echo_len(seq);
	u32 seed = seq * 2654435761U, i;
	bool want = e->fixed_len || seq % 4 != 3;
	unsigned long deadline;
	void *rctx;
	u64 id = 0;
	int ret;

	m->magic = cpu_to_le32(e->sink ? VSC_ECHO_MAGIC_SINK : VSC_ECHO_MAGIC);
	m->seq = cpu_to_le32(seq);
	m->len = cpu_to_le32(n);
	m->seed = cpu_to_le32(seed);
	for (i = 0; i < n; i++)
		e->txbuf[sizeof(*m) + i] = vsc_echo_byte(seed, i);
	if (want) {
		id = vsc_vmbus_rqstor_get(&e->rq, (void *)(uintptr_t)(seq + 1));
		if (!id)
			return -EBUSY;
	} else {
		set_bit(seq, e->inband);
	}
	/* A host that stops reading fails the run in 10 s, however slow the clock. */
	deadline = jiffies + 10 * HZ;
	for (;;) {
		ret = vsc_vmbus_send(e->vdev->channel, m, sizeof(*m) + n, id, want);
		if (ret != -ENOSPC || time_after(jiffies, deadline))
			break;
		usleep_range(20, 50);
	}
	if (ret && want)	/* never sent: its id is free again */
		vsc_vmbus_rqstor_take(&e->rq, id, &rctx);
	else if (ret)
		clear_bit(seq, e->inband);
	return ret;
}

static int echo_run(struct echo_dev *e, u32 rounds)
{
	u32 seq;
	int ret = 0;

	if (READ_ONCE(e->gone))
		return -ENODEV;
	bitmap_free(e->inband);
	e->inband = bitmap_zalloc(rounds, GFP_KERNEL);
	if (!e->inband)
		return -ENOMEM;
	e->rounds = rounds;
	atomic_set(&e->ok, 0);
	atomic_set(&e->bad, 0);
	atomic_set(&e->unknown, 0);
	for (seq = 0; seq < rounds && !ret; seq++) {
		if (!wait_event_timeout(e->wq, atomic_read(&e->outstanding) < e->window ||
					READ_ONCE(e->broken) || READ_ONCE(e->gone), 30 * HZ)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (READ_ONCE(e->gone)) {
			ret = -ENODEV;
			break;
		}
		if (READ_ONCE(e->broken))
			break;
		atomic_inc(&e->outstanding);
		ret = echo_send_one(e, seq);
		if (ret)
			atomic_dec(&e->outstanding);
		if (ret == -EIO)	/* a ring the host corrupted */
			WRITE_ONCE(e->broken, true);
	}
	if (!wait_event_timeout(e->wq, !atomic_read(&e->outstanding) ||
				READ_ONCE(e->broken) || READ_ONCE(e->gone), 60 * HZ) && !ret)
		ret = -ETIMEDOUT;
	if (!ret && READ_ONCE(e->gone))
		ret = -ENODEV;
	/* A broken channel fails the run and every request still pending. */
	if (READ_ONCE(e->broken))
		ret = -EIO;
	if (!ret && (atomic_read(&e->ok) != rounds || atomic_read(&e->bad) ||
		     atomic_read(&e->unknown)))
		ret = -EIO;
	dev_info(&e->vdev->dev, "echo: %u packets, %d ok, %d bad, %d unknown, %d outstanding: %d\n",
		 rounds, atomic_read(&e->ok), atomic_read(&e->bad),
		 atomic_read(&e->unknown), atomic_read(&e->outstanding), ret);
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
	e->last = echo_run(e, rounds);
	ret = e->last;
	mutex_unlock(&e->run_lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(echo_run);

static ssize_t echo_result_show(struct device *dev, struct device_attribute *attr,
				char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);

	return sysfs_emit(buf, "ok %d bad %d unknown %d status %d\n",
			  atomic_read(&e->ok), atomic_read(&e->bad),
			  atomic_read(&e->unknown), e->last);
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
	ret = echo_run(e, rounds);
	e->bench_ns = ktime_get_ns() - t0;
	e->last = ret;
	e->fixed_len = 0;
	e->sink = false;
	mutex_unlock(&e->run_lock);
	return ret ? ret : count;
}

static ssize_t echo_bench_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);

	return sysfs_emit(buf, "packets %d ns %llu\n", atomic_read(&e->ok),
			  e->bench_ns);
}
static DEVICE_ATTR_RW(echo_bench);

static struct attribute *echo_attrs[] = {
	&dev_attr_echo_bench.attr,
	&dev_attr_echo_run.attr,
	&dev_attr_echo_result.attr,
	NULL,
};
ATTRIBUTE_GROUPS(echo);

static int echo_probe(struct vsc_vmbus_device *vdev)
{
	struct echo_dev *e;
	int cpu, ret;

	e = devm_kzalloc(&vdev->dev, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->vdev = vdev;
	mutex_init(&e->run_lock);
	init_waitqueue_head(&e->wq);
	e->rxbuf = devm_kmalloc(&vdev->dev, ECHO_MAX_PKT + 256, GFP_KERNEL);
	e->txbuf = devm_kmalloc(&vdev->dev, ECHO_MAX_PKT + 256, GFP_KERNEL);
	if (!e->rxbuf || !e->txbuf)
		return -ENOMEM;
	ret = vsc_vmbus_rqstor_init(&e->rq, ECHO_WINDOW);
	if (ret)
		return ret;
	dev_set_drvdata(&vdev->dev, e);

	/* Spread echo devices over the CPUs by relid. */
	cpu = cpumask_nth(vdev->relid % num_online_cpus(), cpu_online_mask);
	ret = vsc_vmbus_open(vdev->channel, ECHO_RING, ECHO_RING, cpu,
			     echo_onchannel, e);
	if (ret) {
		vsc_vmbus_rqstor_destroy(&e->rq);
		return ret;
	}
	dev_info(&vdev->dev, "echo channel %u open on CPU %d\n", vdev->relid, cpu);
	return 0;
}

static void echo_remove(struct vsc_vmbus_device *vdev)
{
	struct echo_dev *e = dev_get_drvdata(&vdev->dev);

	vsc_vmbus_close(vdev->channel);
	vsc_vmbus_rqstor_destroy(&e->rq);
	bitmap_free(e->inband);
}

/* The host withdrew the device: whatever is in flight will not come back. */
static void echo_rescind(struct vsc_vmbus_device *vdev)
{
	struct echo_dev *e = dev_get_drvdata(&vdev->dev);

	WRITE_ONCE(e->gone, true);
	wake_up(&e->wq);
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
