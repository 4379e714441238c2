// SPDX-License-Identifier: GPL-2.0
/*
 * Offers and rescinds: each primary channel the host offers becomes a
 * device on the vsc_vmbus bus; a rescind removes it and releases the relid.
 * Sub-channel offers and rescinds go to subchan.c.
 * Both run on the connection's ordered workqueue, in the host's order, and
 * may sleep (device registration, driver probe and remove).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#include "vmbus_core.h"
#include "trace.h"

struct vsc_vmbus_offer_work {
	struct work_struct work;
	struct vsc_vmbus_conn *conn;
	struct vsc_vmbus_hmsg msg;
};

/**
 * vsc_vmbus_offer_pool_create() - the reserve of offer and rescind work
 * @conn: the connection
 *
 * Return: 0 or -ENOMEM.
 */
int vsc_vmbus_offer_pool_create(struct vsc_vmbus_conn *conn)
{
	conn->offer_pool = mempool_create_kmalloc_pool(64,
				sizeof(struct vsc_vmbus_offer_work));
	return conn->offer_pool ? 0 : -ENOMEM;
}

/**
 * vsc_vmbus_chan_get() - the channel with @relid
 * @conn: the connection
 * @relid: 1..VSC_VMBUS_MAX_RELID
 *
 * Return: the channel or NULL; valid while the caller holds @conn->lock or
 * runs on the offer workqueue.
 */
struct vsc_vmbus_channel *vsc_vmbus_chan_get(struct vsc_vmbus_conn *conn,
					     u32 relid)
{
	if (!relid || relid > VSC_VMBUS_MAX_RELID)
		return NULL;
	return rcu_dereference_check(conn->chans[relid], 1);
}

/**
 * vsc_vmbus_mark_rescinded() - mark @ch rescinded, wake its waiters
 * @conn: the connection; the caller holds @conn->lock
 * @ch: the channel
 */
void vsc_vmbus_mark_rescinded(struct vsc_vmbus_conn *conn,
				     struct vsc_vmbus_channel *ch)
{
	lockdep_assert_held(&conn->lock);
	WRITE_ONCE(ch->rescinded, true);
	complete(&ch->open_done);
	/* Writers waiting for room: the host will make none. */
	wake_up_all(&ch->send_wq);
	vsc_vmbus_gpadl_rescinded(conn, ch->relid);
}

static void vsc_vmbus_device_release(struct device *dev)
{
	struct vsc_vmbus_device *vdev = to_vsc_vmbus_device(dev);

	kobject_put(&vdev->channel->kobj);
	kfree(vdev);
}

static void vsc_vmbus_offer(struct vsc_vmbus_conn *conn,
			    const struct vsc_vmbus_hmsg *m)
{
	const struct vsc_vmbus_offer_channel *o = &m->offer;
	struct vsc_vmbus_channel *ch;
	struct vsc_vmbus_device *vdev;
	int ret;

	if (vsc_vmbus_chan_get(conn, m->relid)) {
		dev_warn_ratelimited(conn->dev, "second offer for relid %u ignored\n",
				     m->relid);
		return;
	}
	if (le16_to_cpu(o->offer.sub_channel_index)) {
		vsc_vmbus_sc_offer(conn, m);
		return;
	}

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!ch || !vdev) {
		kfree(ch);
		kfree(vdev);
		dev_err(conn->dev, "no memory for the offer of relid %u\n", m->relid);
		return;
	}
	ch->conn = conn;
	ch->vdev = vdev;
	ch->offer = *o;
	ch->relid = m->relid;
	/* Since Win7 the offer names the connection id to signal. */
	ch->sig_conn_id = le32_to_cpu(o->connection_id);
	vsc_vmbus_chan_init(ch);

	vdev->channel = ch;
	INIT_LIST_HEAD(&vdev->subchannels);
	mutex_init(&vdev->sc_lock);
	vdev->relid = m->relid;
	vdev->class_id = vsc_vmbus_guid(&o->offer.if_type);
	vdev->device_id = vsc_vmbus_guid(&o->offer.if_instance);
	vdev->dev.parent = conn->dev;
	vdev->dev.bus = &vsc_vmbus_bus;
	vdev->dev.release = vsc_vmbus_device_release;
	vdev->dev.coherent_dma_mask = DMA_BIT_MASK(64);
	vdev->dev.dma_mask = &vdev->dev.coherent_dma_mask;
	dev_set_name(&vdev->dev, "%pUl", &vdev->device_id);

	spin_lock_irq(&conn->lock);
	rcu_assign_pointer(conn->chans[m->relid], ch);
	/* Rescinded before we got here: the device comes and goes. */
	if (test_bit(m->relid, conn->rescind_early))
		vsc_vmbus_mark_rescinded(conn, ch);
	spin_unlock_irq(&conn->lock);

	ret = device_register(&vdev->dev);
	if (!ret) {
		ret = vsc_vmbus_chan_sysfs_add(ch);
		if (ret)
			device_del(&vdev->dev);
	}
	trace_vsc_vmbus_chan_offer(m->relid, -1, ret);
	if (ret) {
		dev_err(conn->dev, "cannot add the device of relid %u: %d\n",
			m->relid, ret);
		spin_lock_irq(&conn->lock);
		RCU_INIT_POINTER(conn->chans[m->relid], NULL);
		spin_unlock_irq(&conn->lock);
		synchronize_rcu();
		/* After device_register(), failed or undone: put, never free. */
		put_device(&vdev->dev);
	}
}

/**
 * vsc_vmbus_relid_release() - forget @ch's relid
 * @conn: the connection
 * @ch: a channel that is closed and out of sysfs
 *
 * The ISR no longer finds it when this returns; a rescinded channel's
 * relid goes back to the host with RELID_RELEASED.
 */
void vsc_vmbus_relid_release(struct vsc_vmbus_conn *conn,
			    struct vsc_vmbus_channel *ch)
{
	struct vsc_vmbus_relid_msg rel = {
		.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_RELID_RELEASED),
		.child_relid = cpu_to_le32(ch->relid),
	};

	spin_lock_irq(&conn->lock);
	RCU_INIT_POINTER(conn->chans[ch->relid], NULL);
	spin_unlock_irq(&conn->lock);
	synchronize_rcu();
	if (READ_ONCE(ch->rescinded) && vsc_vmbus_post(conn, &rel, sizeof(rel)))
		dev_warn(conn->dev, "cannot release relid %u\n", ch->relid);
}

/*
 * Removes the device of primary channel @ch: its driver closes the
 * channel and its sub-channels on the way (the bus closes what it left
 * open), then every sub-channel is freed, then the primary.
 */
static void vsc_vmbus_chan_remove(struct vsc_vmbus_conn *conn,
				  struct vsc_vmbus_channel *ch)
{
	struct vsc_vmbus_device *vdev = ch->vdev;

	vsc_vmbus_sc_sysfs_del(vdev);
	vsc_vmbus_chan_sysfs_del(ch);
	device_del(&vdev->dev);
	vsc_vmbus_sc_free_all(conn, vdev);
	vsc_vmbus_relid_release(conn, ch);
	put_device(&vdev->dev);
}

/*
 * Lets the bound driver fail what it has in flight before its remove()
 * runs: the host answers nothing on a rescinded channel, and remove() may
 * wait for users of the device's files that wait for such answers.
 */
static void vsc_vmbus_tell_driver(struct vsc_vmbus_device *vdev)
{
	struct vsc_vmbus_driver *drv;

	device_lock(&vdev->dev);
	if (vdev->dev.driver) {
		drv = to_vsc_vmbus_driver(vdev->dev.driver);
		if (drv->rescind)
			drv->rescind(vdev);
	}
	device_unlock(&vdev->dev);
}

static void vsc_vmbus_rescind(struct vsc_vmbus_conn *conn, u32 relid)
{
	struct vsc_vmbus_channel *ch = vsc_vmbus_chan_get(conn, relid);

	spin_lock_irq(&conn->lock);
	__clear_bit(relid, conn->rescind_early);
	spin_unlock_irq(&conn->lock);
	if (!ch) {
		dev_warn_ratelimited(conn->dev, "rescind of unknown relid %u\n", relid);
		return;
	}
	trace_vsc_vmbus_chan_rescind(relid, ch->cpu, 0);
	/* Marked rescinded already, in the tasklet (vsc_vmbus_rescind_now()). */
	if (ch->primary) {
		vsc_vmbus_sc_rescind(conn, ch);
		return;
	}
	vsc_vmbus_tell_driver(ch->vdev);
	vsc_vmbus_chan_remove(conn, ch);
}

/**
 * vsc_vmbus_rescind_now() - the first half of a rescind, in the tasklet
 * @conn: the connection
 * @relid: the rescinded channel
 *
 * The removal waits its turn on the ordered workqueue, possibly behind
 * work that waits for the host about this very channel (a probe opening
 * it): mark the channel now so that those waits end at once. A channel
 * whose offer is still queued is marked when the offer is handled.
 */
void vsc_vmbus_rescind_now(struct vsc_vmbus_conn *conn, u32 relid)
{
	struct vsc_vmbus_channel *ch;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	ch = vsc_vmbus_chan_get(conn, relid);
	if (ch)
		vsc_vmbus_mark_rescinded(conn, ch);
	else
		__set_bit(relid, conn->rescind_early);
	spin_unlock_irqrestore(&conn->lock, flags);
}

static void vsc_vmbus_offer_work(struct work_struct *work)
{
	struct vsc_vmbus_offer_work *w =
		container_of(work, struct vsc_vmbus_offer_work, work);
	struct vsc_vmbus_conn *conn = w->conn;

	mutex_lock(&conn->offer_mutex);
	if (w->msg.type == VSC_VMBUS_MSG_OFFERCHANNEL) {
		if (!conn->unloading)
			vsc_vmbus_offer(conn, &w->msg);
	} else {
		vsc_vmbus_rescind(conn, w->msg.relid);
	}
	mutex_unlock(&conn->offer_mutex);
	mempool_free(w, conn->offer_pool);
}

/**
 * vsc_vmbus_queue_offer_msg() - hand an offer or rescind to the workqueue
 * @conn: the connection
 * @m: the parsed message
 *
 * Runs in the message tasklet.
 */
void vsc_vmbus_queue_offer_msg(struct vsc_vmbus_conn *conn,
			       const struct vsc_vmbus_hmsg *m)
{
	struct vsc_vmbus_offer_work *w = mempool_alloc(conn->offer_pool, GFP_ATOMIC);
	struct vsc_vmbus_channel *ch;
	unsigned long flags;

	/*
	 * A rescind takes effect at once for whoever waits for an answer on
	 * the channel (an open from the offer workqueue itself, say): the
	 * host sends none now. The removal waits for the workqueue.
	 */
	if (m->type == VSC_VMBUS_MSG_RESCIND_CHANNELOFFER) {
		spin_lock_irqsave(&conn->lock, flags);
		ch = vsc_vmbus_chan_get(conn, m->relid);
		if (ch) {
			WRITE_ONCE(ch->rescinded, true);
			complete(&ch->open_done);
		}
		spin_unlock_irqrestore(&conn->lock, flags);
	}

	if (!w) {
		dev_err_ratelimited(conn->dev, "offer pool exhausted: %s of relid %u dropped\n",
				    vsc_vmbus_msg_name(m->type), m->relid);
		return;
	}
	INIT_WORK(&w->work, vsc_vmbus_offer_work);
	w->conn = conn;
	w->msg = *m;
	queue_work(conn->wq, &w->work);
}

/**
 * vsc_vmbus_remove_all() - remove every device, before UNLOAD
 * @conn: the connection
 */
void vsc_vmbus_remove_all(struct vsc_vmbus_conn *conn)
{
	struct vsc_vmbus_channel *ch;
	u32 relid;

	mutex_lock(&conn->offer_mutex);
	conn->unloading = true;
	mutex_unlock(&conn->offer_mutex);
	flush_workqueue(conn->wq);

	mutex_lock(&conn->offer_mutex);
	/* Sub-channels go with their primary. */
	for (relid = 1; relid <= VSC_VMBUS_MAX_RELID; relid++) {
		ch = vsc_vmbus_chan_get(conn, relid);
		if (ch && !ch->primary)
			vsc_vmbus_chan_remove(conn, ch);
	}
	mutex_unlock(&conn->offer_mutex);
}
