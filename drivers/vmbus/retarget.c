// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a channel's interrupt to another CPU (MODIFYCHANNEL, from VMBus
 * 4.1; the host acknowledges it from 5.3 on), by the driver, through the
 * channel's writable "cpu" file, and when a CPU goes offline: the channels
 * that target it move away first, or the offline is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/slab.h>

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"
#include "trace.h"

/*
 * Sends MODIFYCHANNEL and, from 5.3 on, waits for the host's answer; older
 * hosts answer nothing and may interrupt the old CPU for a while, which
 * does no harm: the callback runs wherever the interrupt lands.
 */
static int vsc_vmbus_modify(struct vsc_vmbus_channel *ch, int cpu, u32 vp)
{
	struct vsc_vmbus_conn *conn = ch->conn;
	struct vsc_vmbus_modifychannel m = {
		.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_MODIFYCHANNEL),
		.child_relid = cpu_to_le32(ch->relid),
		.target_vp = cpu_to_le32(vp),
	};
	bool ack = conn->version >= VSC_VMBUS_VERSION_WIN10_V5_3;
	int ret;

	spin_lock_irq(&conn->lock);
	reinit_completion(&ch->modify_done);
	ch->modify_status = 0;
	ch->modifying = ack;
	spin_unlock_irq(&conn->lock);

	ret = vsc_vmbus_post(conn, &m, sizeof(m));
	if (!ret && ack &&
	    !wait_for_completion_timeout(&ch->modify_done, VSC_VMBUS_REPLY_TIMEOUT))
		ret = -ETIMEDOUT;

	spin_lock_irq(&conn->lock);
	ch->modifying = false;
	spin_unlock_irq(&conn->lock);
	if (!ret && READ_ONCE(ch->rescinded))
		ret = -ENODEV;
	if (!ret && ch->modify_status) {
		dev_err_ratelimited(&ch->vdev->dev, "host refused to move relid %u to CPU %d: %#x\n",
				    ch->relid, cpu, ch->modify_status);
		ret = -EIO;
	}
	return ret;
}

/* The caller holds cpus_read_lock() or the hotplug lock, and @ch->lock. */
static int vsc_vmbus_retarget(struct vsc_vmbus_channel *ch, int cpu)
{
	int vp, old = ch->cpu, ret;

	lockdep_assert_held(&ch->lock);
	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	if (ch->state != VSC_CHAN_OPEN)
		return -ENOTCONN;
	if (ch->conn->version < VSC_VMBUS_VERSION_WIN10_V4_1)
		return -EOPNOTSUPP;
	if (cpu == old)
		return 0;
	vp = vsc_hc_vp_index(cpu);
	if (vp < 0)
		return -EINVAL;
	ret = vsc_vmbus_modify(ch, cpu, vp);
	trace_vsc_vmbus_chan_modify(ch->relid, cpu, ret);
	if (ret)
		return ret;
	WRITE_ONCE(ch->cpu, cpu);
	/*
	 * An event the host flagged on the old CPU just before the move may
	 * never be looked at there (that CPU may be on its way out): look.
	 */
	vsc_vmbus_schedule(ch);
	if (ch->on_cpu_changed)
		ch->on_cpu_changed(ch, ch->ctx, old);
	return 0;
}

/**
 * vsc_vmbus_set_cpu() - move an open channel's interrupt to another CPU
 * @ch: the channel
 * @cpu: an online CPU
 *
 * May sleep. The receive callback may run once more on the old CPU.
 *
 * Return: 0; -EINVAL for a CPU that is not online; -ENOTCONN when the
 * channel is not open; -ENODEV when it was rescinded; -EOPNOTSUPP before
 * VMBus 4.1; -ETIMEDOUT or -EIO when the host did not move it.
 */
int vsc_vmbus_set_cpu(struct vsc_vmbus_channel *ch, int cpu)
{
	int ret = -EINVAL;

	cpus_read_lock();
	mutex_lock(&ch->lock);
	if (cpu >= 0 && cpu < nr_cpu_ids && cpu_online(cpu))
		ret = vsc_vmbus_retarget(ch, cpu);
	mutex_unlock(&ch->lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_set_cpu);

/**
 * vsc_vmbus_modify_answer() - the host answered a MODIFYCHANNEL
 * @conn: the connection
 * @m: the parsed MODIFYCHANNEL_RESPONSE
 */
void vsc_vmbus_modify_answer(struct vsc_vmbus_conn *conn,
			     const struct vsc_vmbus_hmsg *m)
{
	struct vsc_vmbus_channel *ch;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	ch = vsc_vmbus_chan_get(conn, m->relid);
	if (ch && ch->modifying && !completion_done(&ch->modify_done)) {
		ch->modify_status = m->status;
		complete(&ch->modify_done);
		spin_unlock_irqrestore(&conn->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	dev_notice_ratelimited(conn->dev, "MODIFYCHANNEL_RESPONSE for relid %u not asked for\n",
			       m->relid);
}

static struct vsc_vmbus_conn *vsc_vmbus_hp_conn;
static enum cpuhp_state vsc_vmbus_hp_state;

/* The open channels that target @cpu, with a reference each. */
static unsigned int vsc_vmbus_chans_on(struct vsc_vmbus_conn *conn,
				       unsigned int cpu,
				       struct vsc_vmbus_channel **out,
				       unsigned int max)
{
	struct vsc_vmbus_channel *ch;
	unsigned int relid, n = 0;

	spin_lock_irq(&conn->lock);
	for (relid = 1; relid <= VSC_VMBUS_MAX_RELID && n < max; relid++) {
		ch = vsc_vmbus_chan_get(conn, relid);
		if (ch && READ_ONCE(ch->cpu) == cpu &&
		    READ_ONCE(ch->state) == VSC_CHAN_OPEN &&
		    kobject_get_unless_zero(&ch->kobj))
			out[n++] = ch;
	}
	spin_unlock_irq(&conn->lock);
	return n;
}

/*
 * Runs on the way down of @cpu, with the hotplug lock held: every open
 * channel that targets it moves to another online CPU, or the CPU stays.
 */
static int vsc_vmbus_cpu_down(unsigned int cpu)
{
	struct vsc_vmbus_conn *conn = READ_ONCE(vsc_vmbus_hp_conn);
	struct vsc_vmbus_channel **chans;
	unsigned int i, n;
	int target, ret = 0;

	if (!conn)
		return 0;
	if (vsc_hc_vp_index(cpu) == conn->msg_vp) {
		dev_err(conn->dev, "CPU %u stays online: the host sends VMBus messages to it\n",
			cpu);
		return -EBUSY;
	}
	chans = kcalloc(VSC_VMBUS_MAX_RELID, sizeof(*chans), GFP_KERNEL);
	if (!chans)
		return -ENOMEM;
	n = vsc_vmbus_chans_on(conn, cpu, chans, VSC_VMBUS_MAX_RELID);
	for (i = 0; i < n; i++) {
		struct vsc_vmbus_channel *ch = chans[i];

		mutex_lock(&ch->lock);
		target = cpumask_any_but(cpu_online_mask, cpu);
		if (!ret && ch->cpu == cpu && ch->state == VSC_CHAN_OPEN) {
			ret = target < nr_cpu_ids ? vsc_vmbus_retarget(ch, target) : -ENOSPC;
			if (ret == -ENODEV)
				ret = 0;	/* rescinded: goes away anyway */
			else if (ret)
				dev_err(&ch->vdev->dev, "CPU %u stays online: relid %u cannot move to CPU %d: %d\n",
					cpu, ch->relid, target, ret);
		}
		mutex_unlock(&ch->lock);
		kobject_put(&ch->kobj);
	}
	kfree(chans);
	return ret;
}

/**
 * vsc_vmbus_hotplug_start() - move channels off CPUs that go offline
 * @conn: the connected connection
 *
 * Return: 0 or a negative errno.
 */
int vsc_vmbus_hotplug_start(struct vsc_vmbus_conn *conn)
{
	int ret;

	WRITE_ONCE(vsc_vmbus_hp_conn, conn);
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "vsc_vmbus:online",
					NULL, vsc_vmbus_cpu_down);
	if (ret < 0) {
		WRITE_ONCE(vsc_vmbus_hp_conn, NULL);
		return ret;
	}
	vsc_vmbus_hp_state = ret;
	return 0;
}

/**
 * vsc_vmbus_hotplug_stop() - undo vsc_vmbus_hotplug_start()
 * @conn: the connection
 */
void vsc_vmbus_hotplug_stop(struct vsc_vmbus_conn *conn)
{
	if (READ_ONCE(vsc_vmbus_hp_conn) != conn)
		return;
	cpuhp_remove_state_nocalls(vsc_vmbus_hp_state);
	WRITE_ONCE(vsc_vmbus_hp_conn, NULL);
}
