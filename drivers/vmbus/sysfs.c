// SPDX-License-Identifier: GPL-2.0
/*
 * Per-channel sysfs folders: /sys/bus/vsc_vmbus/devices/<id>/channels/<relid>/
 * with the channel's CPU and state, and each ring's shared indices and
 * counters, for people and tests; the same ring state in debugfs, one file
 * per channel: /sys/kernel/debug/vsc_vmbus/<relid>.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "vmbus_core.h"

struct vsc_vmbus_chan_attr {
	struct attribute attr;
	ssize_t (*show)(struct vsc_vmbus_channel *ch, char *buf);
	ssize_t (*store)(struct vsc_vmbus_channel *ch, const char *buf,
			 size_t count);
};

#define to_chan(k) container_of(k, struct vsc_vmbus_channel, kobj)

static ssize_t vsc_vmbus_chan_attr_show(struct kobject *kobj,
					struct attribute *attr, char *buf)
{
	const struct vsc_vmbus_chan_attr *a =
		container_of(attr, struct vsc_vmbus_chan_attr, attr);

	return a->show(to_chan(kobj), buf);
}

static ssize_t vsc_vmbus_chan_attr_store(struct kobject *kobj,
					 struct attribute *attr,
					 const char *buf, size_t count)
{
	const struct vsc_vmbus_chan_attr *a =
		container_of(attr, struct vsc_vmbus_chan_attr, attr);

	return a->store ? a->store(to_chan(kobj), buf, count) : -EIO;
}

static const struct sysfs_ops vsc_vmbus_chan_sysfs_ops = {
	.show = vsc_vmbus_chan_attr_show,
	.store = vsc_vmbus_chan_attr_store,
};

static ssize_t vsc_vmbus_ring_show(const struct vsc_ring *r, char *buf)
{
	if (!r->data)
		return sysfs_emit(buf, "closed\n");
	return sysfs_emit(buf,
			  "write_index %u\nread_index %u\ninterrupt_mask %u\npending_send_sz %u\nsize %u\npackets %llu\nbytes %llu\nbatches %llu\nsignals %llu\nfull %llu\nbroken %s\n",
			  le32_to_cpu(READ_ONCE(*r->write_index)),
			  le32_to_cpu(READ_ONCE(*r->read_index)),
			  le32_to_cpu(READ_ONCE(*r->interrupt_mask)),
			  le32_to_cpu(READ_ONCE(*r->pending_send_sz)),
			  r->size, r->stats.packets, r->stats.bytes,
			  r->stats.batches, r->stats.signals, r->stats.full,
			  r->broken ? r->reason : "no");
}

/*
 * The rings exist while the channel is open; its state does not change
 * while we hold either ring's lock (see channel.c).
 */
static ssize_t vsc_vmbus_ring_file(struct vsc_vmbus_channel *ch,
				   spinlock_t *lock, const struct vsc_ring *r,
				   char *buf)
{
	unsigned long flags;
	ssize_t n;

	spin_lock_irqsave(lock, flags);
	if (READ_ONCE(ch->state) == VSC_CHAN_OPEN)
		n = vsc_vmbus_ring_show(r, buf);
	else
		n = sysfs_emit(buf, "closed\n");
	spin_unlock_irqrestore(lock, flags);
	return n;
}

static ssize_t out_ring_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return vsc_vmbus_ring_file(ch, &ch->out_lock, &ch->out, buf);
}

static ssize_t in_ring_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return vsc_vmbus_ring_file(ch, &ch->in_lock, &ch->in, buf);
}

/* Flow control and signalling counters of the data path. */
static ssize_t flow_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "mode %s\nsend_waits %llu\nsend_wakeups %lld\nsignals_deferred %llu\nsignal_failed %lld\n",
			  READ_ONCE(ch->polled) ? "polled" : "interrupt",
			  READ_ONCE(ch->send_waits),
			  atomic64_read(&ch->send_wakeups),
			  READ_ONCE(ch->signals_deferred),
			  atomic64_read(&ch->signal_failed));
}

static ssize_t cpu_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(ch->cpu));
}

/* Writing a CPU number moves the channel's interrupt there. */
static ssize_t cpu_store(struct vsc_vmbus_channel *ch, const char *buf,
			 size_t count)
{
	unsigned int cpu;
	int ret;

	ret = kstrtouint(buf, 0, &cpu);
	if (ret)
		return ret;
	if (cpu > INT_MAX)
		return -EINVAL;
	ret = vsc_vmbus_set_cpu(ch, cpu);
	return ret ? ret : count;
}

static ssize_t state_show(struct vsc_vmbus_channel *ch, char *buf)
{
	static const char *const names[] = {
		[VSC_CHAN_OFFERED] = "closed",
		[VSC_CHAN_OPENING] = "opening",
		[VSC_CHAN_OPEN] = "open",
	};

	return sysfs_emit(buf, "%s%s\n", names[READ_ONCE(ch->state)],
			  ch->rescinded ? " rescinded" : "");
}

static ssize_t interrupts_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "%llu\n", ch->interrupts);
}

static ssize_t connection_id_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "%#x\n", ch->sig_conn_id);
}

#define CHAN_ATTR(n) \
	static struct vsc_vmbus_chan_attr chan_attr_##n = { \
		.attr = { .name = #n, .mode = 0444 }, .show = n##_show }

CHAN_ATTR(out_ring);
CHAN_ATTR(in_ring);
static struct vsc_vmbus_chan_attr chan_attr_cpu = {
	.attr = { .name = "cpu", .mode = 0644 },
	.show = cpu_show, .store = cpu_store,
};
CHAN_ATTR(state);
CHAN_ATTR(interrupts);
CHAN_ATTR(connection_id);
CHAN_ATTR(flow);

static ssize_t sub_channel_index_show(struct vsc_vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "%u\n", ch->sc_index);
}
CHAN_ATTR(sub_channel_index);

static struct attribute *vsc_vmbus_chan_attrs[] = {
	&chan_attr_out_ring.attr,
	&chan_attr_in_ring.attr,
	&chan_attr_cpu.attr,
	&chan_attr_state.attr,
	&chan_attr_interrupts.attr,
	&chan_attr_connection_id.attr,
	&chan_attr_flow.attr,
	&chan_attr_sub_channel_index.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vsc_vmbus_chan);

static void vsc_vmbus_chan_release(struct kobject *kobj)
{
	kfree(to_chan(kobj));
}

const struct kobj_type vsc_vmbus_chan_ktype = {
	.sysfs_ops = &vsc_vmbus_chan_sysfs_ops,
	.default_groups = vsc_vmbus_chan_groups,
	.release = vsc_vmbus_chan_release,
};

static struct dentry *vsc_vmbus_debugfs;

static int vsc_vmbus_chan_debugfs_show(struct seq_file *s, void *unused)
{
	struct vsc_vmbus_channel *ch = s->private;
	char *buf = (char *)get_zeroed_page(GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	seq_printf(s, "relid %u cpu %d interrupts %llu sub_channel_index %u\n",
		   ch->relid, ch->cpu, ch->interrupts, ch->sc_index);
	state_show(ch, buf);
	seq_printf(s, "state %s[out]\n", buf);
	out_ring_show(ch, buf);
	seq_puts(s, buf);
	seq_puts(s, "[in]\n");
	in_ring_show(ch, buf);
	seq_puts(s, buf);
	free_page((unsigned long)buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsc_vmbus_chan_debugfs);

/** vsc_vmbus_debugfs_init() - create /sys/kernel/debug/vsc_vmbus */
void vsc_vmbus_debugfs_init(void)
{
	vsc_vmbus_debugfs = debugfs_create_dir("vsc_vmbus", NULL);
}

/** vsc_vmbus_debugfs_exit() - remove it */
void vsc_vmbus_debugfs_exit(void)
{
	debugfs_remove_recursive(vsc_vmbus_debugfs);
}

/**
 * vsc_vmbus_chan_sysfs_add() - show @ch under its device's channels/
 * @ch: a channel whose device is registered; a sub-channel's primary is
 *	added first
 *
 * Each channel, primary or sub-channel, is channels/<relid>/ of the
 * device. On failure nothing is left to undo but kobject_put().
 *
 * Return: 0 or a negative errno.
 */
int vsc_vmbus_chan_sysfs_add(struct vsc_vmbus_channel *ch)
{
	struct vsc_vmbus_device *vdev = ch->vdev;
	char name[12];
	int ret;

	if (!vdev->channels_dir) {
		if (ch->primary)
			return -ENOENT;
		vdev->channels_dir = kobject_create_and_add("channels",
							    &vdev->dev.kobj);
		if (!vdev->channels_dir)
			return -ENOMEM;
	}
	ret = kobject_add(&ch->kobj, vdev->channels_dir, "%u", ch->relid);
	if (ret) {
		if (!ch->primary) {
			kobject_put(vdev->channels_dir);
			vdev->channels_dir = NULL;
		}
		return ret;
	}
	snprintf(name, sizeof(name), "%u", ch->relid);
	ch->debugfs = debugfs_create_file(name, 0444, vsc_vmbus_debugfs, ch,
					  &vsc_vmbus_chan_debugfs_fops);
	return 0;
}

/**
 * vsc_vmbus_chan_sysfs_del() - the reverse of vsc_vmbus_chan_sysfs_add()
 * @ch: the channel; a primary's sub-channels are deleted before it
 */
void vsc_vmbus_chan_sysfs_del(struct vsc_vmbus_channel *ch)
{
	debugfs_remove(ch->debugfs);
	ch->debugfs = NULL;
	kobject_del(&ch->kobj);
	if (ch->primary)
		return;
	kobject_put(ch->vdev->channels_dir);
	ch->vdev->channels_dir = NULL;
}
