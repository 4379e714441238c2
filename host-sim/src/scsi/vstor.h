/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VSTOR server (storvsp): the init sequence (versions, properties, end
 * of initialization, sub-channels) and EXECUTE_SRB, with every field of a
 * guest packet checked before use: lengths, target and LUN, CDB length,
 * direction, the GPA list against the transfer length, and each PFN
 * against guest RAM through the map callback. Commands go to the disks
 * (disk.h) on the channel's back-end queue; their answers leave through
 * the send callback, possibly from a later vsp_uring_reap().
 *
 * A reset (LUN, bus, adapter) is answered once every SRB of its channel
 * has been; SRBs on other channels are not waited for yet.
 *
 * One struct vsp_vstor is a controller: its LUNs and agreed version. Each
 * channel of it has a struct vsp_vstor_chan; the init sequence runs on the
 * primary channel before sub-channels exist, so the controller's state
 * needs no lock.
 */
#ifndef VSP_SCSI_VSTOR_H
#define VSP_SCSI_VSTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "vmbus/ring.h"
#include <vsc/vstor.h>

#include "disk.h"

struct vsp_vstor_ops {
	/* Host address of guest [gpa, gpa + len) (one page), or NULL. */
	void *(*map)(void *priv, uint64_t gpa, uint32_t len);
	/* Sends @len bytes as the completion of @trans_id on a channel. */
	void (*send)(void *chan_priv, uint64_t trans_id, const void *pkt,
		     uint32_t len);
	/* Offers @count sub-channels; 0 or -errno. */
	int (*subchannels)(void *priv, uint16_t count);
};

struct vsp_vstor_cfg {
	uint32_t max_transfer;		/* bytes per command, 4 KiB multiple */
	uint16_t max_subchannels;	/* 0: no multi-channel */
	uint16_t max_version;		/* highest accepted (default 6.2) */
};

enum vsp_vstor_state {
	VSP_VSTOR_NEW,			/* waiting for BEGIN_INITIALIZATION */
	VSP_VSTOR_BEGUN,		/* version not agreed yet */
	VSP_VSTOR_VERSIONED,		/* properties, end of initialization */
	VSP_VSTOR_READY,		/* SRBs */
};

struct vsp_vstor {
	struct vsp_vstor_cfg cfg;
	const struct vsp_vstor_ops *ops;
	void *priv;
	enum vsp_vstor_state state;
	uint16_t version;
	bool subchannels_done;
	struct vsp_disk *lun[VSC_VSTOR_MAX_TARGETS][VSC_VSTOR_MAX_LUNS];
	uint32_t rejected;		/* packets that broke a rule */
	char why[128];			/* the last rule broken */
};

struct vsp_vstor_chan {
	struct vsp_vstor *v;
	struct vsp_bq *q;
	void *priv;			/* ops->send's chan_priv */
	bool primary;
	uint32_t inflight;		/* SRBs not answered yet */
	bool reset_pending;		/* a reset waits for inflight to drain */
	uint64_t reset_id;
};

/* vsp_vstor_handle(): answered, but the guest broke a rule (v->why). */
#define VSP_VSTOR_REJECTED	1

int vsp_vstor_init(struct vsp_vstor *v, const struct vsp_vstor_cfg *cfg,
		   const struct vsp_vstor_ops *ops, void *priv);
/* Puts @d at target @t, LUN @l; -EINVAL out of range, -EEXIST taken. */
int vsp_vstor_add_lun(struct vsp_vstor *v, uint8_t t, uint8_t l,
		      struct vsp_disk *d);
/*
 * Handles one packet from the guest, parsed in the host view. Returns 0,
 * VSP_VSTOR_REJECTED, or -EBADMSG for a packet too broken to answer.
 */
int vsp_vstor_handle(struct vsp_vstor_chan *ch, const struct vsc_ring_pkt *pkt);
/* The notification that makes the guest rescan (after a LUN change). */
void vsp_vstor_enumerate_pkt(struct vsc_vstor_packet *p);

#endif /* VSP_SCSI_VSTOR_H */
