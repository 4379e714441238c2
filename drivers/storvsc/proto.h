/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VSTOR protocol of vsc_storvsc as pure functions: build the packets of
 * the init sequence and of a SCSI request, and validate what the host
 * answers before anyone uses it. Nothing here touches a channel, a SCSI
 * command or shared memory; the caller copies a packet out of the ring
 * first. The same file builds in userspace for the unit tests and the
 * fuzzer (tests/unit/test_storvsc_proto.c, tests/fuzz/fuzz_storvsc_cpl.c).
 */
#ifndef _VSC_STORVSC_PROTO_H
#define _VSC_STORVSC_PROTO_H

#include "vmbus/ring_os.h"
#include <vsc/vstor.h>

/* Versions the guest offers, best first. */
#define VSC_STOR_NR_VERSIONS	3
extern const u16 vsc_stor_versions[VSC_STOR_NR_VERSIONS];

/*
 * Request ids on the wire: generation << 32 | (tag + 1), never 0. @tag is
 * the block layer's unique tag (hardware queue and tag), so an id names one
 * request across every channel of the controller.
 */
static inline u64 vsc_stor_rqst_id(u32 gen, u32 tag)
{
	return (u64)gen << 32 | ((u64)tag + 1);
}

/* The init-sequence packets: zeroed, @op set, a completion requested. */
void vsc_stor_build(struct vsc_vstor_packet *p, u32 op);
void vsc_stor_build_version(struct vsc_vstor_packet *p, u16 version);
void vsc_stor_build_subchannels(struct vsc_vstor_packet *p, u16 count);

/* What a SCSI request asks for; see vsc_stor_build_srb(). */
struct vsc_stor_srb_args {
	u8 port, path, target, lun;
	const u8 *cdb;
	u8 cdb_len;		/* 1..VSC_VSTOR_CDB_MAX */
	u8 dir;			/* VSC_VSTOR_DIR_* */
	u32 data_len;
	u32 timeout;		/* seconds */
};

int vsc_stor_build_srb(struct vsc_vstor_packet *p,
		       const struct vsc_stor_srb_args *a);

/*
 * Checks the host's answer to an init-sequence step (@len bytes at @buf,
 * copied out of the ring) and copies it to @out. 0: COMPLETE_IO with
 * status 0; -EPROTONOSUPPORT: the host refused the version; -EIO: another
 * non-zero status (in *@status); -EBADMSG: short or not COMPLETE_IO.
 */
int vsc_stor_init_reply(const void *buf, u32 len, struct vsc_vstor_packet *out,
			u32 *status);

/* Channel properties, checked and clamped. */
struct vsc_stor_props {
	u32 max_transfer;	/* bytes, a multiple of 4 KiB, >= 4 KiB */
	u16 max_channels;	/* sub-channels the host allows */
	bool multi_channel;
};

int vsc_stor_props_parse(const struct vsc_vstor_packet *p,
			 struct vsc_stor_props *out);

/* Bytes of ring one request may take at most, for a transfer of @max_xfer. */
u32 vsc_stor_worst_pkt(u32 max_xfer);
/* Requests that fit a ring of @ring_bytes at once (at least 1). */
u32 vsc_stor_can_queue(u32 ring_bytes, u32 max_xfer);

/* What the completion parser needs from the driver. */
struct vsc_stor_cpl_ctx {
	u16 version;		/* agreed VSTOR version */
	u32 gen;		/* generation of the ids in flight */
	/*
	 * True if @tag is in flight; sets *@data_len to the bytes it asked
	 * to transfer.
	 */
	bool (*lookup)(void *priv, u32 tag, u32 *data_len);
	void *priv;
};

/* A completion or notification, all fields checked. */
struct vsc_stor_cpl {
	u32 op;			/* COMPLETE_IO, or a notification's */
	u32 tag;		/* COMPLETE_IO only */
	u32 status;		/* the packet's NTSTATUS */
	u8 srb_status;		/* with its flag bits */
	u8 scsi_status;
	u8 sense_len;		/* bytes of sense valid in @sense */
	u32 requested;		/* what the request asked for */
	u32 transferred;	/* <= requested */
	u8 sense[VSC_VSTOR_SENSE_SIZE];
};

/* vsc_stor_cpl_parse() results besides 0 (a completion of @tag). */
#define VSC_STOR_CPL_NOTIFY	1	/* ENUMERATE_BUS or REMOVE_DEVICE */

int vsc_stor_cpl_parse(const struct vsc_stor_cpl_ctx *ctx, const void *buf,
		       u32 len, u64 trans_id, struct vsc_stor_cpl *out);

/* What the SCSI glue tells the midlayer about a checked completion. */
enum vsc_stor_verdict {
	VSC_STOR_DONE,		/* host byte OK: SCSI status and sense speak */
	VSC_STOR_ERROR,		/* DID_ERROR */
	VSC_STOR_NO_DEVICE,	/* DID_NO_CONNECT */
	VSC_STOR_REQUEUE,	/* DID_REQUEUE */
	VSC_STOR_BUSY,		/* DID_BUS_BUSY: the midlayer retries */
};

struct vsc_stor_outcome {
	enum vsc_stor_verdict verdict;
	bool rescan;		/* the host says the LUN's parameters changed */
	bool remove_lun;	/* the host says the LUN is gone */
	u32 resid;		/* bytes asked for and not moved */
};

void vsc_stor_outcome(const struct vsc_stor_cpl *c, u8 opcode,
		      struct vsc_stor_outcome *o);

#endif /* _VSC_STORVSC_PROTO_H */
