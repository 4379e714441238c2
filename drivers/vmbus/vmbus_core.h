/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations shared by the files of vsc_vmbus.ko. */
#ifndef _VSC_VMBUS_CORE_H
#define _VSC_VMBUS_CORE_H

#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "vsc_vmbus.h"
#include "msg.h"

extern vsc_bus_type_t vsc_vmbus_bus;

/* How long the guest waits for any one answer of the host. */
#define VSC_VMBUS_REPLY_TIMEOUT		(10 * HZ)

enum vsc_vmbus_chan_state {
	VSC_CHAN_OFFERED,	/* known, closed */
	VSC_CHAN_OPENING,	/* OPENCHANNEL sent, waiting for the result */
	VSC_CHAN_OPEN,
};

/**
 * struct vsc_vmbus_channel - a channel offered by the host
 * @conn: the connection it belongs to
 * @vdev: the device of its primary channel
 * @primary: a sub-channel's primary channel; NULL for a primary
 * @sc_node: in the device's sub-channel list (sub-channels only)
 * @sc_index: the offer's sub_channel_index (0: primary)
 * @offer: the offer, as received (fields little-endian)
 * @relid: host's id of the channel
 * @sig_conn_id: connection id to signal the host with
 * @lock: serializes open, close and retarget (after the hotplug lock)
 * @state: VSC_CHAN_*; changed under @conn->lock, @in_lock and @out_lock
 *	together (vsc_vmbus_chan_set_state()), so a holder of any one of
 *	them that sees VSC_CHAN_OPEN may touch the rings until it unlocks
 * @rescinded: the host withdrew the offer
 * @cpu: CPU the host interrupts for this channel
 * @ring_buf: both rings: outbound first, then inbound
 * @ring_size: bytes of @ring_buf
 * @ring_gpadl: the GPADL describing @ring_buf
 * @out: the outbound ring (we write)
 * @in: the inbound ring (we read)
 * @out_lock: serializes writers of @out
 * @in_lock: serializes readers of @in
 * @in_flags: interrupt state saved by vsc_vmbus_recv_begin()
 * @out_owed: a write called for a signal not sent yet (under @out_lock)
 * @in_owed: a read called for a signal not sent yet (under @in_lock)
 * @rx_stuck: the next packet did not fit the reader's buffer; the bus
 *	does not run the callback again for it (under @in_lock)
 * @polled: opened with VSC_VMBUS_OPEN_POLLED
 * @onchannel: the driver's receive callback
 * @ctx: its argument
 * @on_broken: the driver's broken callback, or NULL
 * @on_cpu_changed: the driver's CPU-changed callback, or NULL
 * @broken_work: runs @on_broken in process context
 * @broken_told: @broken_work was queued in this open
 * @pkt_buf: the channel's own packet buffer (vsc_vmbus_recv_pkt())
 * @max_pkt: bytes of @pkt_buf
 * @tasklet: runs @onchannel on @cpu
 * @send_wq: writers waiting for room (vsc_vmbus_send_wait())
 * @send_waits: waits that found the ring full
 * @send_wakeups: wake-ups of those by the host's signal
 * @signals_deferred: signals sent by vsc_vmbus_kick()
 * @signal_failed: signals the platform refused
 * @open_done: OPENCHANNEL_RESULT arrived
 * @open_status: its status
 * @openid: the id of our pending OPENCHANNEL
 * @modify_done: MODIFYCHANNEL_RESPONSE arrived
 * @modify_status: its status
 * @modifying: a MODIFYCHANNEL waits for its answer
 * @interrupts: times the host flagged this channel
 * @kobj: the channel's folder in sysfs
 * @debugfs: the channel's file in debugfs
 */
struct vsc_vmbus_channel {
	struct vsc_vmbus_conn *conn;
	struct vsc_vmbus_device *vdev;
	struct vsc_vmbus_channel *primary;
	struct list_head sc_node;
	u16 sc_index;
	struct vsc_vmbus_offer_channel offer;
	u32 relid;
	u32 sig_conn_id;
	struct mutex lock;
	enum vsc_vmbus_chan_state state;
	bool rescinded;
	int cpu;
	void *ring_buf;
	u32 ring_size;
	u32 ring_gpadl;
	struct vsc_ring out;
	struct vsc_ring in;
	spinlock_t out_lock;
	spinlock_t in_lock;
	unsigned long in_flags;
	bool out_owed;
	bool in_owed;
	bool rx_stuck;
	bool polled;
	vsc_vmbus_onchannel_t onchannel;
	void *ctx;
	void (*on_broken)(struct vsc_vmbus_channel *ch, void *ctx);
	void (*on_cpu_changed)(struct vsc_vmbus_channel *ch, void *ctx,
			       int old_cpu);
	struct work_struct broken_work;
	bool broken_told;
	void *pkt_buf;
	u32 max_pkt;
	struct tasklet_struct tasklet;
	wait_queue_head_t send_wq;
	u64 send_waits;
	atomic64_t send_wakeups;
	u64 signals_deferred;
	atomic64_t signal_failed;
	struct completion open_done;
	u32 open_status;
	u32 openid;
	struct completion modify_done;
	u32 modify_status;
	bool modifying;
	u64 interrupts;
	struct kobject kobj;
	struct dentry *debugfs;
};

/**
 * struct vsc_vmbus_gpadl_wait - a GPADL request waiting for the host
 * @node: in @conn->gpadl_waits
 * @relid: channel it was made on
 * @gpadl: handle
 * @teardown: waiting for GPADL_TORNDOWN (else GPADL_CREATED)
 * @gone: the channel was rescinded: no answer will come
 * @done: the answer arrived
 * @status: its status
 */
struct vsc_vmbus_gpadl_wait {
	struct list_head node;
	u32 relid;
	u32 gpadl;
	bool teardown;
	bool gone;
	struct completion done;
	u32 status;
};

/**
 * struct vsc_vmbus_conn - the guest's connection to the host's VMBus
 * @dev: the VMBus root device (created by vsc_hypercall)
 * @version: negotiated protocol version
 * @msg_conn_id: where channel messages are posted
 * @msg_vp: the VP the host sends channel messages to
 * @lock: protects @chans, channel states and @gpadl_waits
 * @chans: channels by relid, RCU-readable from the ISR
 * @gpadl_waits: GPADL requests in flight
 * @next_gpadl: next GPADL handle to use
 * @wq: ordered: offers and rescinds, in the host's order
 * @offer_pool: reserve of work items for @wq, taken in the message tasklet
 * @offer_mutex: serializes device creation and removal
 * @version_done: VERSION_RESPONSE arrived
 * @version_resp: its contents
 * @offers_done: ALLOFFERS_DELIVERED arrived
 * @unload_done: UNLOAD_RESPONSE arrived
 * @monitor_pages: the two monitor pages INITIATE_CONTACT names
 * @int_page: the interrupt page of hosts before 5.0
 * @unloading: no more offers are accepted
 * @rescind_early: relids rescinded while their offer was still queued
 */
struct vsc_vmbus_conn {
	struct device *dev;
	u32 version;
	u32 msg_conn_id;
	int msg_vp;
	spinlock_t lock;
	struct vsc_vmbus_channel __rcu *chans[VSC_VMBUS_MAX_RELID + 1];
	struct list_head gpadl_waits;
	u32 next_gpadl;
	struct workqueue_struct *wq;
	struct mempool_s *offer_pool;
	struct mutex offer_mutex;
	struct completion version_done;
	struct vsc_vmbus_hmsg version_resp;
	struct completion offers_done;
	struct completion unload_done;
	void *monitor_pages;
	void *int_page;
	bool unloading;
	DECLARE_BITMAP(rescind_early, VSC_VMBUS_MAX_RELID + 1);
};

/* connection.c */
int vsc_vmbus_post(struct vsc_vmbus_conn *conn, const void *msg, u32 len);
int vsc_vmbus_connect(struct vsc_vmbus_conn *conn);
void vsc_vmbus_unload(struct vsc_vmbus_conn *conn);
void vsc_vmbus_handle_msg(struct vsc_vmbus_conn *conn, const void *buf, u32 len);

/* isr.c */
int vsc_vmbus_isr_start(struct vsc_vmbus_conn *conn);
void vsc_vmbus_isr_stop(struct vsc_vmbus_conn *conn);

/* offer.c */
int vsc_vmbus_offer_pool_create(struct vsc_vmbus_conn *conn);
void vsc_vmbus_queue_offer_msg(struct vsc_vmbus_conn *conn,
			       const struct vsc_vmbus_hmsg *m);
void vsc_vmbus_remove_all(struct vsc_vmbus_conn *conn);
void vsc_vmbus_rescind_now(struct vsc_vmbus_conn *conn, u32 relid);
void vsc_vmbus_mark_rescinded(struct vsc_vmbus_conn *conn,
			      struct vsc_vmbus_channel *ch);
struct vsc_vmbus_channel *vsc_vmbus_chan_get(struct vsc_vmbus_conn *conn,
					     u32 relid);

/* subchan.c */
void vsc_vmbus_sc_offer(struct vsc_vmbus_conn *conn,
			const struct vsc_vmbus_hmsg *m);
void vsc_vmbus_sc_rescind(struct vsc_vmbus_conn *conn,
			  struct vsc_vmbus_channel *sc);
void vsc_vmbus_sc_sysfs_del(struct vsc_vmbus_device *vdev);
void vsc_vmbus_sc_free_all(struct vsc_vmbus_conn *conn,
			   struct vsc_vmbus_device *vdev);
void vsc_vmbus_sc_unbind(struct vsc_vmbus_device *vdev,
			 void (*remove)(struct vsc_vmbus_device *vdev));
void vsc_vmbus_relid_release(struct vsc_vmbus_conn *conn,
			    struct vsc_vmbus_channel *ch);

/* channel.c */
void vsc_vmbus_chan_init(struct vsc_vmbus_channel *ch);
void vsc_vmbus_chan_set_state(struct vsc_vmbus_channel *ch,
			      enum vsc_vmbus_chan_state state);
void vsc_vmbus_open_result(struct vsc_vmbus_conn *conn,
			   const struct vsc_vmbus_hmsg *m);

/* recv.c */
void vsc_vmbus_chan_dpc(struct tasklet_struct *t);
void vsc_vmbus_chan_schedule(struct vsc_vmbus_channel *ch);

void vsc_vmbus_broken_found(struct vsc_vmbus_channel *ch);

/* send.c */
void vsc_vmbus_signal_host(struct vsc_vmbus_channel *ch);
void vsc_vmbus_ring_signal_out(struct vsc_ring *ring);
void vsc_vmbus_ring_signal_in(struct vsc_ring *ring);

/* panic.c */
int vsc_vmbus_unload_polled(struct vsc_vmbus_conn *conn);
void vsc_vmbus_panic_start(struct vsc_vmbus_conn *conn);
void vsc_vmbus_panic_stop(struct vsc_vmbus_conn *conn);

/* retarget.c */
void vsc_vmbus_modify_answer(struct vsc_vmbus_conn *conn,
			     const struct vsc_vmbus_hmsg *m);
int vsc_vmbus_hotplug_start(struct vsc_vmbus_conn *conn);
void vsc_vmbus_hotplug_stop(struct vsc_vmbus_conn *conn);

/* gpadl.c */
void vsc_vmbus_gpadl_answer(struct vsc_vmbus_conn *conn,
			    const struct vsc_vmbus_hmsg *m);
void vsc_vmbus_gpadl_rescinded(struct vsc_vmbus_conn *conn, u32 relid);

/* root.c */
int vsc_vmbus_root_register(void);
void vsc_vmbus_root_unregister(void);

/* gpadl.c and channel.c export the rest; sysfs.c */
int vsc_vmbus_chan_sysfs_add(struct vsc_vmbus_channel *ch);
void vsc_vmbus_chan_sysfs_del(struct vsc_vmbus_channel *ch);
extern const struct kobj_type vsc_vmbus_chan_ktype;
void vsc_vmbus_debugfs_init(void);
void vsc_vmbus_debugfs_exit(void);

#endif /* _VSC_VMBUS_CORE_H */
