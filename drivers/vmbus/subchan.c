// SPDX-License-Identifier: GPL-2.0
/*
 * Sub-channels: extra channels of a device, which its driver asks for
 * with a message of its own protocol over the primary channel. The host
 * offers each with its primary's class and instance and a non-zero
 * sub_channel_index; each has its own relid, connection id, ring GPADL,
 * open and target CPU, and can be rescinded on its own.
 *
 * A sub-channel offer attaches to the device whose primary channel has
 * the same class and instance and is not rescinded. There is no holding
 * back: the host offers sub-channels only after a request made on an open
 * primary, so an offer with no primary (or a second one with the same
 * index, or more than VSC_VMBUS_MAX_SUBCHANNELS) is a broken host. It is
 * refused with a rate-limited message and the relid stays unused.
 *
 * A primary's removal (rescind, UNLOAD, module unload) frees its
 * sub-channels after its driver's remove closed them; a host that rescinds
 * the sub-channels after the primary (vsp-sim does it before) finds them
 * gone: "rescind of unknown relid", and no RELID_RELEASED for them. Driver
 * unbind closes them but keeps them, as the host still offers them.
 *
 * Everything here runs on the connection's ordered offer workqueue with
 * offer_mutex held, except the exported helpers. The device's own sc_lock,
 * never the device lock, guards its sub-channel list and orders the
 * driver's callbacks: a probe that waits for sub-channels, rtnl and the
 * SCSI error handler all hold or wait for the device lock, and an offer
 * must get through regardless. A driver's callbacks start when it calls
 * vsc_vmbus_set_subchannel_ops(), which first hands it the sub-channels
 * offered before (so an offer that raced with probe is not lost), and
 * stop before its remove runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "vmbus_core.h"
#include "trace.h"

static struct vsc_vmbus_channel *
vsc_vmbus_sc_primary(struct vsc_vmbus_conn *conn, const struct vsc_vmbus_offer *o)
{
	struct vsc_vmbus_channel *ch;
	u32 relid;

	for (relid = 1; relid <= VSC_VMBUS_MAX_RELID; relid++) {
		ch = vsc_vmbus_chan_get(conn, relid);
		if (ch && !ch->primary && !READ_ONCE(ch->rescinded) &&
		    !memcmp(&ch->offer.offer.if_type, &o->if_type,
			    sizeof(o->if_type)) &&
		    !memcmp(&ch->offer.offer.if_instance, &o->if_instance,
			    sizeof(o->if_instance)))
			return ch;
	}
	return NULL;
}

/* Why the offer of sub-channel @idx of @vdev is refused, or NULL. */
static const char *vsc_vmbus_sc_refuse(struct vsc_vmbus_device *vdev, u16 idx)
{
	struct vsc_vmbus_channel *sc;

	if (vdev->nr_subchannels >= VSC_VMBUS_MAX_SUBCHANNELS)
		return "too many sub-channels";
	list_for_each_entry(sc, &vdev->subchannels, sc_node)
		if (sc->sc_index == idx)
			return "index already offered";
	return NULL;
}

/**
 * vsc_vmbus_sc_offer() - attach an offered sub-channel to its device
 * @conn: the connection
 * @m: the OFFERCHANNEL, with a non-zero sub_channel_index and a relid
 *	that is not in use
 *
 * The device's driver, if it registered sub-channel callbacks, is told.
 */
void vsc_vmbus_sc_offer(struct vsc_vmbus_conn *conn,
			const struct vsc_vmbus_hmsg *m)
{
	const struct vsc_vmbus_offer_channel *o = &m->offer;
	u16 idx = le16_to_cpu(o->offer.sub_channel_index);
	struct vsc_vmbus_channel *prim, *sc;
	struct vsc_vmbus_device *vdev;
	const char *why;
	int ret;

	prim = vsc_vmbus_sc_primary(conn, &o->offer);
	if (!prim) {
		dev_warn_ratelimited(conn->dev, "sub-channel offer relid %u (index %u) of {%pUl}: no primary channel; refused\n",
				     m->relid, idx, o->offer.if_instance.b);
		return;
	}
	vdev = prim->vdev;
	why = vsc_vmbus_sc_refuse(vdev, idx);
	if (why) {
		dev_warn_ratelimited(&vdev->dev, "sub-channel offer relid %u (index %u): %s; refused\n",
				     m->relid, idx, why);
		return;
	}
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return;
	sc->conn = conn;
	sc->vdev = vdev;
	sc->primary = prim;
	sc->sc_index = idx;
	sc->offer = *o;
	sc->relid = m->relid;
	sc->sig_conn_id = le32_to_cpu(o->connection_id);
	vsc_vmbus_chan_init(sc);

	ret = vsc_vmbus_chan_sysfs_add(sc);
	trace_vsc_vmbus_chan_offer(m->relid, -1, ret);
	if (ret) {
		dev_err(&vdev->dev, "cannot add sub-channel relid %u to sysfs: %d\n",
			m->relid, ret);
		kobject_put(&sc->kobj);
		return;
	}
	spin_lock_irq(&conn->lock);
	rcu_assign_pointer(conn->chans[m->relid], sc);
	if (test_bit(m->relid, conn->rescind_early))
		vsc_vmbus_mark_rescinded(conn, sc);
	spin_unlock_irq(&conn->lock);

	mutex_lock(&vdev->sc_lock);
	list_add_tail(&sc->sc_node, &vdev->subchannels);
	WRITE_ONCE(vdev->nr_subchannels, vdev->nr_subchannels + 1);
	if (vdev->sc_ops && vdev->sc_ops->offer && !READ_ONCE(sc->rescinded))
		vdev->sc_ops->offer(vdev, sc);
	mutex_unlock(&vdev->sc_lock);
	dev_dbg(&vdev->dev, "sub-channel %u: relid %u\n", idx, m->relid);
}

/* Closes @sc if its driver left it open; sc_lock held. */
static void vsc_vmbus_sc_close_left(struct vsc_vmbus_channel *sc,
				    const char *when)
{
	if (READ_ONCE(sc->state) == VSC_CHAN_OFFERED)
		return;
	dev_warn(&sc->vdev->dev, "sub-channel relid %u still open %s: closing it\n",
		 sc->relid, when);
	vsc_vmbus_close(sc);
}

/* Unlists @sc, releases its relid if rescinded, and drops it. */
static void vsc_vmbus_sc_free(struct vsc_vmbus_conn *conn,
			      struct vsc_vmbus_channel *sc)
{
	struct vsc_vmbus_device *vdev = sc->vdev;

	mutex_lock(&vdev->sc_lock);
	list_del(&sc->sc_node);
	WRITE_ONCE(vdev->nr_subchannels, vdev->nr_subchannels - 1);
	mutex_unlock(&vdev->sc_lock);
	vsc_vmbus_relid_release(conn, sc);
	kobject_put(&sc->kobj);
}

/**
 * vsc_vmbus_sc_rescind() - the host withdrew a sub-channel
 * @conn: the connection
 * @sc: the sub-channel, already marked rescinded
 *
 * Its driver closes it; RELID_RELEASED is sent; the primary stays.
 */
void vsc_vmbus_sc_rescind(struct vsc_vmbus_conn *conn,
			  struct vsc_vmbus_channel *sc)
{
	struct vsc_vmbus_device *vdev = sc->vdev;

	mutex_lock(&vdev->sc_lock);
	if (vdev->sc_ops && vdev->sc_ops->rescind)
		vdev->sc_ops->rescind(vdev, sc);
	vsc_vmbus_sc_close_left(sc, "after its rescind");
	mutex_unlock(&vdev->sc_lock);
	vsc_vmbus_chan_sysfs_del(sc);
	vsc_vmbus_sc_free(conn, sc);
}

/**
 * vsc_vmbus_sc_sysfs_del() - remove every sub-channel of @vdev from sysfs
 * @vdev: a device being removed, before its channels folder goes
 */
void vsc_vmbus_sc_sysfs_del(struct vsc_vmbus_device *vdev)
{
	struct vsc_vmbus_channel *sc;

	list_for_each_entry(sc, &vdev->subchannels, sc_node)
		vsc_vmbus_chan_sysfs_del(sc);
}

/**
 * vsc_vmbus_sc_free_all() - free every sub-channel of a removed device
 * @conn: the connection
 * @vdev: the device, deleted (its driver gone, so its sub-channels closed)
 */
void vsc_vmbus_sc_free_all(struct vsc_vmbus_conn *conn,
			   struct vsc_vmbus_device *vdev)
{
	struct vsc_vmbus_channel *sc, *tmp;

	list_for_each_entry_safe(sc, tmp, &vdev->subchannels, sc_node)
		vsc_vmbus_sc_free(conn, sc);
}

/**
 * vsc_vmbus_sc_unbind() - unbind the driver of @vdev
 * @vdev: the device
 * @remove: the driver's remove, or NULL (a probe that failed)
 *
 * Forgets the driver's callbacks and runs @remove with the sub-channel
 * lock held, so that no offer or rescind of a sub-channel reaches the
 * driver, or frees a sub-channel it may still hold, until it is gone;
 * then closes the sub-channels it left open. They stay, closed, until the
 * host rescinds them.
 */
void vsc_vmbus_sc_unbind(struct vsc_vmbus_device *vdev,
			 void (*remove)(struct vsc_vmbus_device *vdev))
{
	struct vsc_vmbus_channel *sc;

	mutex_lock(&vdev->sc_lock);
	vdev->sc_ops = NULL;
	if (remove)
		remove(vdev);
	list_for_each_entry(sc, &vdev->subchannels, sc_node)
		vsc_vmbus_sc_close_left(sc, "after its driver's remove");
	mutex_unlock(&vdev->sc_lock);
}

/**
 * vsc_vmbus_set_subchannel_ops() - receive the device's sub-channel offers
 * @vdev: a device the caller's driver is bound to (call it from probe,
 *	once the driver is ready for the callbacks)
 * @ops: the callbacks (see &struct vsc_vmbus_subchannel_ops), or NULL
 *
 * First calls @ops->offer, here, for each sub-channel offered before and
 * neither rescinded nor open (offers that raced with probe), then
 * delivers the offers that arrive afterwards. The bus forgets @ops when
 * the driver unbinds, before its remove, which runs with the sub-channel
 * lock held (so remove must not call this). Process context; takes no
 * device lock, so probe may call it and wait for its sub-channels
 * without deadlock.
 */
void vsc_vmbus_set_subchannel_ops(struct vsc_vmbus_device *vdev,
				  const struct vsc_vmbus_subchannel_ops *ops)
{
	struct vsc_vmbus_channel *sc;

	mutex_lock(&vdev->sc_lock);
	vdev->sc_ops = ops;
	if (ops && ops->offer)
		list_for_each_entry(sc, &vdev->subchannels, sc_node)
			if (!READ_ONCE(sc->rescinded) &&
			    READ_ONCE(sc->state) == VSC_CHAN_OFFERED)
				ops->offer(vdev, sc);
	mutex_unlock(&vdev->sc_lock);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_set_subchannel_ops);

/**
 * vsc_vmbus_subchannel_count() - sub-channels the host offers @vdev now
 * @vdev: the device
 *
 * VMBus offers carry no maximum: how many a device may have is in its own
 * protocol (storvsc's max_channel_cnt, netvsc's allocation answer, echo's
 * CTRL answer). This counts the sub-channels attached now, open or not.
 *
 * Return: the count, at most %VSC_VMBUS_MAX_SUBCHANNELS.
 */
unsigned int vsc_vmbus_subchannel_count(struct vsc_vmbus_device *vdev)
{
	return READ_ONCE(vdev->nr_subchannels);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_subchannel_count);

/**
 * vsc_vmbus_channel_relid() - the host's relative id of @ch
 * @ch: a channel (primary or sub-channel)
 *
 * Return: the relid, 1..%VSC_VMBUS_MAX_RELID.
 */
u32 vsc_vmbus_channel_relid(struct vsc_vmbus_channel *ch)
{
	return ch->relid;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_channel_relid);

/**
 * vsc_vmbus_channel_index() - the sub-channel index of @ch
 * @ch: a channel
 *
 * Return: 0 for a primary channel, else the offer's sub_channel_index.
 */
u16 vsc_vmbus_channel_index(struct vsc_vmbus_channel *ch)
{
	return ch->sc_index;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_channel_index);
