/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sim transport: how a guest without Hyper-V meets vsp-sim through
 * QEMU's ivshmem-doorbell device (PCI 1af4:1110). BAR2 is a small area
 * shared by both sides; it opens with this header, which lets the shim bind
 * only to a vsp-sim device whose layout version it knows.
 *
 * Only the header is fixed so far; docs/sim-transport.md grows with the
 * transport and VSC_SIM_VERSION with every incompatible change.
 */
#ifndef _VSC_SIM_H
#define _VSC_SIM_H

#include "types.h"

#define VSC_SIM_PCI_VENDOR	0x1af4
#define VSC_SIM_PCI_DEVICE	0x1110
#define VSC_SIM_BAR_SHARED	2

/* "VSCSIM01" read as a little-endian quadword. */
#define VSC_SIM_MAGIC		0x31304d4953435356ULL
#define VSC_SIM_VERSION		1

struct vsc_sim_header {
	__le64 magic;
	__le32 version;
	__le32 header_size;	/* bytes of this header, for later growth */
} __packed;
VSC_LAYOUT(struct vsc_sim_header, 16);
VSC_FIELD(struct vsc_sim_header, version, 8);
VSC_FIELD(struct vsc_sim_header, header_size, 12);

#endif /* _VSC_SIM_H */
