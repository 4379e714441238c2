/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsc_storvsc internals: one SCSI host per synthetic SCSI controller that
 * the host offers, its VMBus channel, and the per-command state the SCSI
 * midlayer allocates for us (cmd_size). The wire side is proto.[ch] and
 * init.[ch]; chan.c runs the channel, scsi.c talks to the midlayer.
 */
#ifndef _VSC_STORVSC_H
#define _VSC_STORVSC_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <scsi/scsi_host.h>
#include <vsc/ring.h>
#include <vsc/vmbus.h>

#include "vmbus/vsc_vmbus.h"
#include "proto.h"

/* Ring sizes of the channel, each way. */
#define VSC_STOR_RING		(512 * 1024)
/* The largest transfer we take, whatever the host allows. */
#define VSC_STOR_MAX_XFER	(2 * 1024 * 1024)
/* PFNs one request may need: an unaligned buffer touches one more page. */
#define VSC_STOR_MAX_PFNS	(VSC_STOR_MAX_XFER / 4096 + 1)
/*
 * Room for one packet from the host, descriptor included; anything longer
 * breaks the channel. (A VSTOR answer is 0x40 bytes after a 16-byte one.)
 */
#define VSC_STOR_RX		512
/* Packets read per callback before giving the CPU back. */
#define VSC_STOR_BUDGET		64
/* Waits for an answer to an init step or a reset. */
#define VSC_STOR_INIT_TIMEOUT	(5 * HZ)
#define VSC_STOR_RESET_TIMEOUT	(30 * HZ)

/* Transaction ids that are not requests (requests use proto.h's ids). */
#define VSC_STOR_ID_INIT	(~0ULL)
#define VSC_STOR_ID_RESET	(~0ULL - 1)

/**
 * struct vsc_stor_req - a SCSI command as this driver sends it
 * @inflight: set while the host owns the command; whoever clears it
 *	(the completion, or the failing of all commands on rescind) is
 *	the one who completes the command
 * @data_len: bytes the command asked to transfer
 * @pkt: the VSTOR packet
 * @gpa: the GPA-direct header (struct vsc_gpa_direct_header), then the
 *	one struct vsc_gpa_range and its PFNs
 */
struct vsc_stor_req {
	unsigned long inflight;
	u32 data_len;
	struct vsc_vstor_packet pkt;
	u8 gpa[sizeof(struct vsc_gpa_direct_header) + sizeof(struct vsc_gpa_range) +
	       VSC_STOR_MAX_PFNS * sizeof(u64)] __aligned(8);
};

/**
 * struct vsc_stor - one synthetic SCSI controller
 * @vdev: its VMBus device
 * @shost: its SCSI host
 * @ch: the primary channel
 * @version: the VSTOR version agreed with the host
 * @props: the host's channel properties, checked
 * @gen: generation of request ids; a reset moves it on, so that a
 *	completion the host sends late cannot complete a newer command
 * @gone: the host rescinded the controller or broke its channel: new
 *	commands fail at once
 * @ctl_lock: one init step or reset at a time
 * @ctl_spin: orders @ctl_id, @ctl_reply and @ctl_len between the waiter
 *	and the channel callback
 * @ctl_id: the id of the control packet waiting for its answer, or 0
 * @ctl_done: completed by the channel callback with @ctl_reply
 * @ctl_reply: the answer, copied out of the ring
 * @ctl_len: its length
 * @rescan: rescans the bus when the host says its LUNs changed
 */
struct vsc_stor {
	struct vsc_vmbus_device *vdev;
	struct Scsi_Host *shost;
	struct vsc_vmbus_channel *ch;
	u16 version;
	struct vsc_stor_props props;
	u32 gen;
	bool gone;
	struct mutex ctl_lock;
	spinlock_t ctl_spin;
	u64 ctl_id;
	struct completion ctl_done;
	u8 ctl_reply[VSC_STOR_RX];
	u32 ctl_len;
	struct work_struct rescan;
};

/* chan.c */
int vsc_stor_connect(struct vsc_stor *s);
void vsc_stor_disconnect(struct vsc_stor *s);
int vsc_stor_reset(struct vsc_stor *s);

/* scsi.c */
extern struct scsi_host_template vsc_stor_template;
void vsc_stor_complete(struct vsc_stor *s, const void *buf, u32 len,
		       u64 trans_id);
void vsc_stor_fail_all(struct vsc_stor *s, int host_byte);

#endif /* _VSC_STORVSC_H */
