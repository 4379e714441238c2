/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API of vsc_vmbus.ko for the VSC drivers (storvsc, netvsc, balloon,
 * test drivers). Wire formats live in include/vsc/; this is kernel-only.
 */
#ifndef _VSC_VMBUS_API_H
#define _VSC_VMBUS_API_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>
#include <vsc/vmbus.h>

#include "ring.h"

struct vsc_vmbus_channel;

/**
 * typedef vsc_vmbus_onchannel_t - a channel's receive callback
 * @ch: the channel
 * @ctx: the context given at open
 *
 * Runs in softirq context on the channel's target CPU when the host has
 * signalled the channel, with the host's interrupts masked, and never
 * concurrently with itself for one channel. In interrupt mode it reads
 * (vsc_vmbus_recv() or a vsc_vmbus_recv_begin() batch) until -EAGAIN or
 * until its budget is spent; the bus then unmasks and calls it again if
 * packets are left. In polled mode (%VSC_VMBUS_OPEN_POLLED) the bus does
 * neither: the driver owns the mask from here on (NAPI), and ends its
 * polling with vsc_vmbus_unmask().
 */
typedef void (*vsc_vmbus_onchannel_t)(struct vsc_vmbus_channel *ch, void *ctx);

/* The driver polls: see &typedef vsc_vmbus_onchannel_t. */
#define VSC_VMBUS_OPEN_POLLED		0x1

/**
 * struct vsc_vmbus_open_opts - how vsc_vmbus_open_with() opens a channel
 * @send_bytes: outbound ring data size, a multiple of PAGE_SIZE
 * @recv_bytes: inbound ring data size, a multiple of PAGE_SIZE
 * @cpu: the CPU the host interrupts; -1 lets the bus spread channels over
 *	the online CPUs. The rings are allocated on that CPU's node.
 * @flags: VSC_VMBUS_OPEN_*
 * @max_pkt: largest inbound packet, descriptor included, that
 *	vsc_vmbus_recv_pkt() takes into the channel's own buffer; 0 for none
 *	(the driver then reads into its own buffers only)
 * @onchannel: receive callback
 * @ctx: its argument, and the other callbacks'
 * @broken: optional: the host corrupted a ring of the channel (the bus
 *	found it; not called for vsc_vmbus_chan_broken()). Called once per
 *	open, in process context, before close returns if at all; it fails
 *	the driver's requests and must not close the channel itself.
 * @cpu_changed: optional: the channel now interrupts another CPU
 *	(vsc_vmbus_set_cpu(), or CPU hotplug); @old_cpu is the one before.
 *	Process context; must not retarget or close the channel.
 */
struct vsc_vmbus_open_opts {
	u32 send_bytes;
	u32 recv_bytes;
	int cpu;
	u32 flags;
	u32 max_pkt;
	vsc_vmbus_onchannel_t onchannel;
	void *ctx;
	void (*broken)(struct vsc_vmbus_channel *ch, void *ctx);
	void (*cpu_changed)(struct vsc_vmbus_channel *ch, void *ctx,
			    int old_cpu);
};

/* Sends: do not signal the host now; vsc_vmbus_kick() will (xmit_more). */
#define VSC_VMBUS_SEND_DEFER		0x1
/* Sends: ask the host for a completion packet. */
#define VSC_VMBUS_SEND_COMPLETION	0x2

int vsc_vmbus_open(struct vsc_vmbus_channel *ch, u32 send_bytes,
		   u32 recv_bytes, int cpu, vsc_vmbus_onchannel_t onchannel,
		   void *ctx);
int vsc_vmbus_open_with(struct vsc_vmbus_channel *ch,
			const struct vsc_vmbus_open_opts *opts);
void vsc_vmbus_close(struct vsc_vmbus_channel *ch);
bool vsc_vmbus_is_rescinded(struct vsc_vmbus_channel *ch);
bool vsc_vmbus_is_broken(struct vsc_vmbus_channel *ch);

int vsc_vmbus_send(struct vsc_vmbus_channel *ch, const void *buf, u32 len,
		   u64 trans_id, bool want_completion);
int vsc_vmbus_send_flags(struct vsc_vmbus_channel *ch, const void *buf,
			 u32 len, u64 trans_id, u32 flags);
int vsc_vmbus_send_completion(struct vsc_vmbus_channel *ch, const void *buf,
			      u32 len, u64 trans_id);
int vsc_vmbus_send_gpa(struct vsc_vmbus_channel *ch, void *ranges,
		       u32 ranges_len, u32 range_count, const void *buf, u32 len,
		       u64 trans_id);
void vsc_vmbus_kick(struct vsc_vmbus_channel *ch);
int vsc_vmbus_send_room(struct vsc_vmbus_channel *ch);
int vsc_vmbus_send_wait(struct vsc_vmbus_channel *ch, u32 len, long timeout);

int vsc_vmbus_recv(struct vsc_vmbus_channel *ch, void *buf, u32 buflen,
		   u32 *len);
int vsc_vmbus_recv_begin(struct vsc_vmbus_channel *ch);
int vsc_vmbus_recv_next(struct vsc_vmbus_channel *ch, void *buf, u32 buflen,
			u32 *len);
int vsc_vmbus_recv_pkt(struct vsc_vmbus_channel *ch, struct vsc_ring_pkt *pkt,
		       u32 *len);
void vsc_vmbus_recv_end(struct vsc_vmbus_channel *ch);
void vsc_vmbus_mask(struct vsc_vmbus_channel *ch);
int vsc_vmbus_unmask(struct vsc_vmbus_channel *ch);
void vsc_vmbus_schedule(struct vsc_vmbus_channel *ch);

struct scatterlist;
int vsc_vmbus_sg_to_gpa(struct scatterlist *sgl, unsigned int nents,
			struct vsc_gpa_range *r, u32 max_pfns);
int vsc_vmbus_gpadl_create(struct vsc_vmbus_channel *ch, void *kbuf,
			   u32 size, u32 *gpadl);
int vsc_vmbus_gpadl_teardown(struct vsc_vmbus_channel *ch, u32 gpadl);
int vsc_vmbus_channel_cpu(struct vsc_vmbus_channel *ch);
int vsc_vmbus_set_cpu(struct vsc_vmbus_channel *ch, int cpu);
void vsc_vmbus_chan_broken(struct vsc_vmbus_channel *ch, const char *reason);
u32 vsc_vmbus_channel_relid(struct vsc_vmbus_channel *ch);
u16 vsc_vmbus_channel_index(struct vsc_vmbus_channel *ch);

/**
 * struct vsc_vmbus_rqstor - request ids of one channel (see rqstor.c)
 * @lock: protects the table
 * @size: slots
 * @used: slots in flight
 * @free: the first free slot, or @size when none is
 * @next: each free slot's successor in the free list
 * @busy: slots in flight
 * @gen: each slot's generation, bumped on every use
 * @ctx: each slot's context
 */
struct vsc_vmbus_rqstor {
	spinlock_t lock;
	u32 size;
	u32 used;
	u32 free;
	u32 *next;
	unsigned long *busy;
	u32 *gen;
	void **ctx;
};

int vsc_vmbus_rqstor_init(struct vsc_vmbus_rqstor *r, u32 size);
void vsc_vmbus_rqstor_destroy(struct vsc_vmbus_rqstor *r);
u64 vsc_vmbus_rqstor_get(struct vsc_vmbus_rqstor *r, void *ctx);
int vsc_vmbus_rqstor_take(struct vsc_vmbus_rqstor *r, u64 id, void **ctx);
u32 vsc_vmbus_rqstor_drain(struct vsc_vmbus_rqstor *r,
			   void (*fn)(void *ctx, void *arg), void *arg);
int vsc_vmbus_send_req(struct vsc_vmbus_channel *ch,
		       struct vsc_vmbus_rqstor *r, void *ctx, const void *buf,
		       u32 len, u32 flags);

/* Sub-channels a device may have; offers beyond are refused. */
#define VSC_VMBUS_MAX_SUBCHANNELS	64

struct vsc_vmbus_device;

/**
 * struct vsc_vmbus_subchannel_ops - a driver's sub-channel callbacks
 * @offer: the host offered sub-channel @sc of @vdev. The driver may open
 *	it here with vsc_vmbus_open() (on a CPU of its choice) or leave it
 *	closed; it must not keep it past @rescind or its own remove.
 * @rescind: the host withdrew @sc: the driver stops using it and closes
 *	it with vsc_vmbus_close() before returning (the bus closes it
 *	otherwise, with a warning). The primary channel stays.
 *
 * Both run in process context, on the bus's ordered offer workqueue or
 * (@offer, for sub-channels offered before) in vsc_vmbus_set_subchannel_ops(),
 * with the device's sub-channel lock held, never the device lock: so never
 * concurrently with each other, and never after the bus began unbinding
 * the driver (it clears the callbacks before the driver's remove). They
 * may run while the driver's probe is still going on, and must not take
 * the device lock themselves.
 */
struct vsc_vmbus_subchannel_ops {
	void (*offer)(struct vsc_vmbus_device *vdev,
		      struct vsc_vmbus_channel *sc);
	void (*rescind)(struct vsc_vmbus_device *vdev,
			struct vsc_vmbus_channel *sc);
};

void vsc_vmbus_set_subchannel_ops(struct vsc_vmbus_device *vdev,
				  const struct vsc_vmbus_subchannel_ops *ops);
unsigned int vsc_vmbus_subchannel_count(struct vsc_vmbus_device *vdev);

/**
 * struct vsc_vmbus_device - a channel offer, as a device on the vsc_vmbus bus
 * @dev: the driver-model device; its parent is the bus's root device
 * @class_id: interface type of the offer (selects the driver)
 * @device_id: interface instance of the offer
 * @relid: the host's relative id of the primary channel
 * @channel: the primary channel
 * @channels_dir: the device's "channels" folder in sysfs (bus-private)
 * @subchannels: its sub-channels, in offer order (bus-private)
 * @nr_subchannels: entries of @subchannels
 * @sc_ops: the bound driver's sub-channel callbacks, or NULL
 * @sc_lock: protects the three above and orders the callbacks (bus-private;
 *	the device lock is never taken for sub-channels)
 */
struct vsc_vmbus_device {
	struct device dev;
	guid_t class_id;
	guid_t device_id;
	u32 relid;
	struct vsc_vmbus_channel *channel;
	struct kobject *channels_dir;
	struct list_head subchannels;
	unsigned int nr_subchannels;
	const struct vsc_vmbus_subchannel_ops *sc_ops;
	struct mutex sc_lock;
};

#define to_vsc_vmbus_device(d) container_of(d, struct vsc_vmbus_device, dev)

/**
 * struct vsc_vmbus_driver - a driver for one or more VMBus device classes
 * @name: driver name, as in /sys/bus/vsc_vmbus/drivers/
 * @classes: interface GUIDs the driver binds to, ending with a null GUID
 * @probe: bind to a device; may sleep
 * @remove: unbind; must not fail
 * @rescind: optional: the host withdrew the device; called before @remove,
 *	in process context, so that the driver fails its requests in flight
 *	and stops waiting for answers (sends fail with -ENODEV from now on)
 * @dev_groups: sysfs attributes of the devices it drives
 * @driver: the driver-model driver
 */
struct vsc_vmbus_driver {
	const char *name;
	const guid_t *classes;
	int (*probe)(struct vsc_vmbus_device *vdev);
	void (*remove)(struct vsc_vmbus_device *vdev);
	void (*rescind)(struct vsc_vmbus_device *vdev);
	const struct attribute_group **dev_groups;
	struct device_driver driver;
};

#define to_vsc_vmbus_driver(d) container_of(d, struct vsc_vmbus_driver, driver)

int __vsc_vmbus_driver_register(struct vsc_vmbus_driver *drv,
				struct module *owner);
void vsc_vmbus_driver_unregister(struct vsc_vmbus_driver *drv);

#define vsc_vmbus_driver_register(drv) \
	__vsc_vmbus_driver_register(drv, THIS_MODULE)

/* Converts a wire GUID to the kernel's type; both are 16 bytes in order. */
static inline guid_t vsc_vmbus_guid(const struct vsc_guid *g)
{
	guid_t out;

	memcpy(&out, g->b, sizeof(out));
	return out;
}

/*
 * Declares the module alias that makes udev load a driver for the device
 * class whose GUID is given as a lower-case string (see VSC_CLASS_*_STR).
 */
#define VSC_VMBUS_MODULE_CLASS(guid_str) MODULE_ALIAS("vsc_vmbus:" guid_str)

#endif /* _VSC_VMBUS_API_H */
