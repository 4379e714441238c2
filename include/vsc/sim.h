/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sim transport: how a guest without Hyper-V meets vsp-sim through
 * QEMU's ivshmem-doorbell device (PCI 1af4:1110). docs/sim-transport.md
 * explains the protocol; this header is its layout. VSC_SIM_VERSION changes
 * with every incompatible change; the shim binds only to the version it
 * knows.
 *
 * BAR0: ivshmem registers; the guest writes DOORBELL = peer << 16 | vector.
 * BAR1: MSI-X. Vector N interrupts the CPU whose VP index is N.
 * BAR2: the area below, shared by guest and host.
 */
#ifndef _VSC_SIM_H
#define _VSC_SIM_H

#include "types.h"
#include "hv.h"

#define VSC_SIM_PCI_VENDOR	0x1af4
#define VSC_SIM_PCI_DEVICE	0x1110
#define VSC_SIM_BAR_REGS	0
#define VSC_SIM_BAR_SHARED	2

/* ivshmem BAR0 registers. */
#define VSC_SIM_REG_IVPOSITION	8	/* our own peer id */
#define VSC_SIM_REG_DOORBELL	12	/* write peer << 16 | vector */

/* vsp-sim is ivshmem peer 0 and listens on its vector 0. */
#define VSC_SIM_HOST_PEER	0
#define VSC_SIM_HOST_VECTOR	0

/* "VSCSIM01" read as a little-endian quadword. */
#define VSC_SIM_MAGIC		0x31304d4953435356ULL
#define VSC_SIM_VERSION		1

#define VSC_SIM_BAR2_SIZE	0x10000		/* a power of two */
#define VSC_SIM_MAX_VPS		64
#define VSC_SIM_MAILBOX_SLOTS	32		/* a power of two */
#define VSC_SIM_CONN_IDS	2048		/* signal bitmap bits */

/* vsc_sim_header.host_status */
#define VSC_SIM_HOST_OK		0
#define VSC_SIM_HOST_BROKEN	1	/* the host gave up on this guest */

/* Written by the host before QEMU starts; read-only for the guest. */
struct vsc_sim_header {
	__le64 magic;
	__le32 version;
	__le32 header_size;	/* bytes of this header */
	__le32 bar2_size;
	__le32 nr_vps;		/* MSI-X vectors, one per VP */
	__le32 mailbox_slots;
	__le32 conn_ids;
	__le32 host_status;
	__le32 ready_ack;	/* the guest.ready value the host applied */
	__le32 reserved[6];
} __packed;
VSC_LAYOUT(struct vsc_sim_header, 64);
VSC_FIELD(struct vsc_sim_header, version, 8);
VSC_FIELD(struct vsc_sim_header, bar2_size, 16);
VSC_FIELD(struct vsc_sim_header, nr_vps, 20);
VSC_FIELD(struct vsc_sim_header, host_status, 32);
VSC_FIELD(struct vsc_sim_header, ready_ack, 36);

/*
 * Written by the guest. ready: 0 while the guest sets up or after it shut
 * down; otherwise a generation number the guest bumps on every bind, written
 * after MSI-X is enabled and the SynIC pages are registered. A new
 * generation makes the host re-raise every VP's vector whose slot or flags
 * hold something, since interrupts sent before MSI-X was on are lost.
 */
struct vsc_sim_guest {
	__le32 version;		/* VSC_SIM_VERSION the guest speaks */
	__le32 ready;
	__le32 nr_vps;		/* VPs the guest uses, <= header.nr_vps */
	__le32 reserved[13];
} __packed;
VSC_LAYOUT(struct vsc_sim_guest, 64);

/*
 * Wake-up suppression. The guest publishes work (a mailbox slot, a signal
 * bit, an EOM, a SynIC page), then swaps doorbell_pending to 1 and rings
 * the doorbell only if it was 0. The host swaps it back to 0 before it
 * scans for work, so a publication that raced with the scan rings again.
 */
struct vsc_sim_wake {
	__le32 doorbell_pending;
	__le32 reserved[15];
} __packed;
VSC_LAYOUT(struct vsc_sim_wake, 64);

/*
 * Per-VP SynIC state, the sim's equivalent of the SIMP, SIEFP and EOM
 * MSRs. simp and siefp hold the MSR encoding: page address | enable bit
 * (VSC_SYNIC_ENABLE). eom_count: the guest increments it where Hyper-V
 * would write the EOM MSR (after freeing the SINT 2 slot that had the
 * message-pending flag set), then wakes the host.
 */
struct vsc_sim_vp {
	__le64 simp;
	__le64 siefp;
	__le32 eom_count;
	__le32 reserved[11];
} __packed;
VSC_LAYOUT(struct vsc_sim_vp, 64);
VSC_FIELD(struct vsc_sim_vp, siefp, 8);
VSC_FIELD(struct vsc_sim_vp, eom_count, 16);

/*
 * The post mailbox: HvPostMessage without a hypercall. A single-producer
 * ring of VSC_SIM_MAILBOX_SLOTS inputs (the guest serializes its CPUs);
 * prod and cons are free-running counters. The guest fills slot
 * prod % slots, then releases prod + 1; the host copies slot cons % slots
 * out, then releases cons + 1. Full (prod - cons == slots) makes the
 * guest's post_message return HV_STATUS_INSUFFICIENT_BUFFERS.
 */
struct vsc_sim_mailbox {
	__le32 prod;		/* written by the guest */
	__le32 reserved1[15];
	__le32 cons;		/* written by the host */
	__le32 reserved2[15];
} __packed;
VSC_LAYOUT(struct vsc_sim_mailbox, 128);

/*
 * Byte offsets in BAR2. The signal bitmap has a bit per connection id:
 * the guest's signal_event sets it (atomically), the host clears it
 * (atomically) when it takes the signal.
 */
#define VSC_SIM_OFF_HEADER	0x0000
#define VSC_SIM_OFF_GUEST	0x0040
#define VSC_SIM_OFF_WAKE	0x0080
#define VSC_SIM_OFF_VPS		0x0100
#define VSC_SIM_OFF_SIGNALS	0x1100
#define VSC_SIM_OFF_MAILBOX	0x1200
#define VSC_SIM_OFF_SLOTS	0x2000
#define VSC_SIM_OFF_END		(VSC_SIM_OFF_SLOTS + VSC_SIM_MAILBOX_SLOTS * \
				 sizeof(struct vsc_hv_post_message))

_Static_assert(VSC_SIM_OFF_VPS + VSC_SIM_MAX_VPS * sizeof(struct vsc_sim_vp) <=
	       VSC_SIM_OFF_SIGNALS, "VP area overlaps the signal bitmap");
_Static_assert(VSC_SIM_OFF_SIGNALS + VSC_SIM_CONN_IDS / 8 <= VSC_SIM_OFF_MAILBOX,
	       "signal bitmap overlaps the mailbox");
_Static_assert(VSC_SIM_OFF_END <= VSC_SIM_BAR2_SIZE, "BAR2 too small");

/*
 * Test messages: a VMBus-less echo service of the sim host, so that the
 * transport can be tested on its own. A post with message_type
 * VSC_SIM_MSGTYPE_ECHO and connection id VSC_SIM_ECHO_CONNECTION_ID is
 * answered by a SINT 2 message of the same type and payload on VP
 * target_vp, with the host's echo sequence number filled in; if
 * signal_relid is non-zero, that event flag of target_vp is also set.
 */
#define VSC_SIM_MSGTYPE_ECHO		0x56534301	/* outside VMBus's 1 */
#define VSC_SIM_ECHO_CONNECTION_ID	0x7fff

struct vsc_sim_echo {
	__le32 target_vp;
	__le32 signal_relid;
	__le64 cookie;		/* guest's, echoed as is */
	__le64 host_seq;	/* filled in by the host */
} __packed;
VSC_LAYOUT(struct vsc_sim_echo, 24);

#endif /* _VSC_SIM_H */
