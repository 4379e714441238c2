// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_echo.ko: the model driver of the VSC suite. A new VMBus driver
 * starts as a copy of this folder (docs/adding-a-device.md): a Kbuild
 * that links one module from several files, a header of shared state
 * (echo.h), this file for binding and the device's life, and a file per
 * job beside it. It drives vsp-sim's echo device (include/vsc/echo.h) and
 * is built for the tests only (VSC_TESTS=1), never installed by dkms.
 *
 * This file: the driver binds by alias (VSC_VMBUS_MODULE_CLASS), opens
 * the primary channel on a CPU chosen by relid (so that two echo devices
 * land on different CPUs), and follows the device's sub-channels.
 * Writing N to "echo_subchannels" sends the device a CTRL SUBCHANNELS N
 * message and returns once the host answered; the sub-channels it then
 * offers are opened as they come, round-robin over the online CPUs, and
 * closed when rescinded or when the driver unbinds. Reading the file
 * gives "open N offered M" and a line per open sub-channel.
 *
 * The rest, a file each: chan.c sends and reads one channel; run.c is
 * "echo_run" and "echo_result" (a run on every channel at once); bench.c
 * is "echo_bench" and "echo_gpadl" (timed); cycle.c is "echo_cycle"
 * (close and open under traffic).
 *
 * Module parameters: "polled" opens every channel in polled mode (the
 * driver owns the host's interrupt mask, as NAPI does) and reads batches
 * into the bus's own packet buffer; otherwise interrupt mode. Either way
 * a full ring makes the writer wait on pending_send_sz for the host's
 * signal, never sleep and retry. "xmit_more" defers each send's signal
 * and kicks once per burst of eight, as a NIC's xmit_more does.
 * "probe_subchannels" makes probe ask for that many sub-channels and wait
 * until the host has offered them all before it registers its sub-channel
 * callbacks: the bus must hand over those earlier offers, and must not
 * hold the device lock (which probe holds) while delivering offers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/module.h>

#include "echo.h"

bool echo_polled;
module_param_named(polled, echo_polled, bool, 0444);
MODULE_PARM_DESC(polled, "open channels in polled mode (the driver owns the interrupt mask)");

bool echo_xmit_more;
module_param_named(xmit_more, echo_xmit_more, bool, 0444);
MODULE_PARM_DESC(xmit_more, "defer each send's signal; kick every 8 packets and before waiting");

static unsigned int echo_probe_scs;
module_param_named(probe_subchannels, echo_probe_scs, uint, 0444);
MODULE_PARM_DESC(probe_subchannels, "sub-channels probe asks for, lets the host offer, then takes");

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

static struct attribute *echo_sc_attrs[] = {
	&dev_attr_echo_subchannels.attr,
	NULL,
};

static const struct attribute_group echo_sc_group = {
	.attrs = echo_sc_attrs,
};

/* Every sysfs file of a bound device, whichever file defines it. */
static const struct attribute_group *echo_groups[] = {
	&echo_bench_group,
	&echo_cycle_group,
	&echo_run_group,
	&echo_sc_group,
	NULL,
};

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
	if (echo_probe_scs)
		echo_probe_subchannels(e, echo_probe_scs);
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
