/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMBus server: version negotiation, offers, GPADLs, channel open and
 * close, rescind, UNLOAD (docs/protocol-facts.md section 2). It runs on
 * the control plane, fed the valid VMBus posts of the doorbell scan, and
 * answers on the guest's control VP through the host's SINT 2 FIFO (with
 * a queue of its own in front, so that nothing is lost when that is full).
 *
 * Guest memory is reached only through GPADLs whose every page was
 * checked against the RAM layout. Mapping rings and running channel
 * workers are callbacks (struct vsp_vmbus_ops), so the unit tests and the
 * fuzzers drive this file over flat buffers, and main.c with real
 * mappings and threads.
 */
#ifndef VSP_VMBUS_H
#define VSP_VMBUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vsc/vmbus.h>

#include "dev/dev.h"
#include "host.h"

#define VSP_MAX_CHANNELS	64	/* relids 1..64 */
#define VSP_MAX_GPADLS		256	/* per guest connection */
#define VSP_GPADL_MAX_PAGES	8190	/* range_buflen is 16 bits */
#define VSP_OUTQ		256	/* control messages waiting for the FIFO */
#define VSP_PAGE		4096U
#define VSP_SUBREQS		16	/* worker requests waiting */
#define VSP_SUBPEND		64	/* sub-channel offers waiting */

/* The message connection id returned in VERSION_RESPONSE (5.0+). */
#define VSP_VMBUS_MSG_CONN_ID	0x2b

/* NTSTATUS-style failure codes in GPADL_CREATED and OPENCHANNEL_RESULT. */
#define VSP_STATUS_UNSUCCESSFUL		0xc0000001U
#define VSP_STATUS_INVALID_PARAMETER	0xc000000dU
#define VSP_STATUS_NO_MEMORY		0xc0000017U

enum vsp_chan_state {
	VSP_CH_FREE,		/* relid unused */
	VSP_CH_OFFERED,		/* offered (or to be offered), closed */
	VSP_CH_OPEN,		/* a worker runs its data path */
	VSP_CH_RESCINDED,	/* rescind sent: waits for RELID_RELEASED */
};

struct vsp_worker;

struct vsp_chan {
	enum vsp_chan_state state;
	bool offered;			/* OFFERCHANNEL sent this connection */
	uint32_t relid;
	unsigned int cls;		/* dev/classes.c: the table's index */
	struct vsc_guid instance;
	uint32_t instance_nr;		/* n of the instance GUID */
	uint32_t target_vp;
	uint32_t openid;
	uint32_t gpadl;			/* the ring GPADL while open */
	uint32_t down_pages;		/* downstream_ring_pageoffset */
	void *map;			/* the GPADL's pages, contiguous */
	uint32_t map_pages;
	struct vsp_worker *w;		/* the data path while open */
	uint64_t opens, closes;
	uint16_t sub_index;		/* 0: a primary channel */
	uint32_t primary;		/* a sub-channel's primary relid */
};

/*
 * A channel worker's request to the control plane (subchan.c): offer n
 * sub-channels of primary relid, if it is still open as it was when the
 * request was made (gen: the primary's opens count then).
 */
struct vsp_subreq {
	uint32_t relid;
	uint32_t n;
	uint64_t gen;
};

/* One sub-channel offer to make, at tick due (nasty: late) or at once. */
struct vsp_subpend {
	uint32_t primary;
	uint16_t index;
	uint64_t gen;
	uint64_t due;
};

struct vsp_gpadl {
	bool used;
	bool complete;
	bool teardown_pending;		/* asked while its channel was open */
	uint32_t relid;
	uint32_t handle;
	uint16_t range_buflen;
	uint16_t rangecount;
	uint32_t have;			/* bytes of ranges received so far */
	uint32_t next_msgno;
	uint8_t *ranges;		/* range_buflen bytes */
	uint32_t npages;		/* once complete */
	uint64_t bytes;			/* the buffer: its ranges' byte_counts */
	uint64_t *offs;			/* RAM file offset of each page */
	bool ring_ok;			/* one range, offset 0, whole pages */
};

/*
 * What the server needs from its environment. map: make the pages at RAM
 * file offsets offs[0..n) one contiguous area (0 or -errno). start: run
 * the channel's data path (0 or -errno). stop: end it and wait until it
 * no longer touches the mapping. kick: the guest signalled the channel.
 * Any may be NULL in tests (map then fails, start succeeds).
 */
struct vsp_vmbus_ops {
	int (*map)(void *ctx, const uint64_t *offs, uint32_t n, void **base);
	void (*unmap)(void *ctx, void *base, uint32_t n);
	int (*start)(void *ctx, struct vsp_vmbus *vm, struct vsp_chan *c);
	void (*stop)(void *ctx, struct vsp_vmbus *vm, struct vsp_chan *c);
	void (*kick)(void *ctx, struct vsp_chan *c);
	void (*notify)(void *ctx);	/* a worker queued a request */
};

struct vsp_vmbus_stats {
	uint64_t msgs[VSC_VMBUS_MSG_COUNT];	/* valid guest messages by type */
	uint64_t sent;				/* messages to the guest */
	uint64_t held;				/* posts held: queue full */
	uint64_t contacts, unloads, resets;
	uint64_t gpadls_created, gpadls_failed, gpadls_torn;
	uint64_t opens_failed;
	uint64_t sub_requests, sub_offers, sub_dropped, sub_rescinds;
	/* Workers add (atomic): pending_send_sz crossed, the guest signalled. */
	uint64_t send_wakeups;
};

struct vsp_vmbus {
	struct vsp_host *h;
	const struct vsp_vmbus_ops *ops;
	void *ops_ctx;
	/* Each class's settings (dev.h), set to its defaults by init. */
	uint64_t cls_cfg[VSP_DEV_MAX_CLASSES][VSP_DEV_CFG_BYTES / 8];
	uint32_t version;		/* 0: not connected */
	uint32_t vp;			/* control messages go here */
	bool offers_requested;
	unsigned int head, len;		/* the queue */
	struct vsp_msg outq[VSP_OUTQ];
	struct vsp_chan ch[VSP_MAX_CHANNELS + 1];	/* [0] unused */
	struct vsp_gpadl gp[VSP_MAX_GPADLS];
	uint32_t next_instance;
	struct vsp_vmbus_stats st;
	/* Workers to control plane: under req_lock, announced by notify. */
	pthread_mutex_t req_lock;
	unsigned int nreq;
	struct vsp_subreq req[VSP_SUBREQS];
	/* Control plane only: sub-channel offers not made yet. */
	unsigned int npend;
	struct vsp_subpend pend[VSP_SUBPEND];
	uint64_t ticks;			/* nasty ticks seen */
	uint32_t rng;
};

void vsp_vmbus_init(struct vsp_vmbus *vm, struct vsp_host *h,
		    const struct vsp_vmbus_ops *ops, void *ops_ctx);

/* The settings of class cls (dev.h: cfg), or NULL for no such class. */
void *vsp_dev_cfg(struct vsp_vmbus *vm, unsigned int cls);

/* Stops every worker and frees every mapping and GPADL (at exit). */
void vsp_vmbus_destroy(struct vsp_vmbus *vm);

/*
 * A valid VMBus post from the mailbox. Returns false when it must be held
 * (the queue lacks room for its answers): the host retries it later.
 */
bool vsp_vmbus_post(struct vsp_vmbus *vm, const struct vsp_post *p);

/* Moves queued messages into the host's FIFO while it has room. */
void vsp_vmbus_flush(struct vsp_vmbus *vm);

/* The guest signalled connection id conn; true if a channel took it. */
bool vsp_vmbus_signal(struct vsp_vmbus *vm, unsigned int conn);

/*
 * Forgets the guest connection: workers stopped, mappings and GPADLs
 * gone, channels offered afresh on the next REQUESTOFFERS.
 */
void vsp_vmbus_reset(struct vsp_vmbus *vm, const char *why);

/*
 * Adds a device (offered at once if the guest asked for offers): a new
 * instance, or instance n again (-EEXIST while a channel still has it).
 * Returns the relid or -errno.
 */
int vsp_vmbus_add(struct vsp_vmbus *vm, unsigned int cls);
int vsp_vmbus_add_instance(struct vsp_vmbus *vm, unsigned int cls,
			   uint32_t n);

/* Rescinds relid (0 or -ENOENT/-EBUSY). */
int vsp_vmbus_rescind(struct vsp_vmbus *vm, uint32_t relid);

/*
 * Sub-channels (subchan.c). A worker asks with vsp_vmbus_subreq() (any
 * thread: 0, or -EAGAIN when the queue is full); the control plane acts
 * on the requests in vsp_vmbus_subreqs() (after ops->notify) and, in the
 * nasty profile, makes the offers late, from vsp_vmbus_tick().
 */
int vsp_vmbus_subreq(struct vsp_vmbus *vm, uint32_t relid, uint64_t gen,
		     uint32_t n);
void vsp_vmbus_subreqs(struct vsp_vmbus *vm);
void vsp_vmbus_tick(struct vsp_vmbus *vm);
/* Sub-channels of primary that are offered or open (not rescinded). */
unsigned int vsp_vmbus_subs(const struct vsp_vmbus *vm, uint32_t primary);

const char *vsp_class_name(unsigned int cls);
const char *vsp_chan_state_name(enum vsp_chan_state st);

/* "channels": one line per channel. */
unsigned int vsp_vmbus_nr_channels(const struct vsp_vmbus *vm);
void vsp_vmbus_channels(const struct vsp_vmbus *vm, FILE *out);
void vsp_vmbus_status(const struct vsp_vmbus *vm, FILE *out);

/* GPADL assembly (gpadl.c), over the server's table. */
enum vsp_gpadl_res {
	VSP_GPADL_MORE,		/* waits for body messages */
	VSP_GPADL_DONE,		/* complete and valid: answer status 0 */
	VSP_GPADL_FAIL,		/* answer with a failure status */
	VSP_GPADL_DROP,		/* no answer possible (unknown handle) */
};

enum vsp_gpadl_res vsp_gpadl_header(struct vsp_vmbus *vm, const uint8_t *msg,
				    uint32_t len, uint32_t *relid,
				    uint32_t *handle, const char **why);
enum vsp_gpadl_res vsp_gpadl_body(struct vsp_vmbus *vm, const uint8_t *msg,
				  uint32_t len, uint32_t *relid,
				  uint32_t *handle, const char **why);
struct vsp_gpadl *vsp_gpadl_find(struct vsp_vmbus *vm, uint32_t handle);
/*
 * From any thread: the byte size of complete GPADL handle created on
 * relid or on other (a sub-channel's primary). 0, or -ENOENT.
 */
int vsp_vmbus_gpadl_bytes(struct vsp_vmbus *vm, uint32_t relid,
			  uint32_t other, uint32_t handle, uint64_t *bytes);
void vsp_gpadl_free(struct vsp_gpadl *g);

#endif /* VSP_VMBUS_H */
