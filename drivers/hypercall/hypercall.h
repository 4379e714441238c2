/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations shared by the files of vsc_hypercall.ko. */
#ifndef _VSC_HYPERCALL_PRIV_H
#define _VSC_HYPERCALL_PRIV_H

#include <linux/device.h>
#include "vsc_hypercall.h"

/**
 * struct vsc_hc_backend - what a backend provides once it has bound
 * @name: "sim" or "native", for messages
 * @post_message: HvPostMessage; never sleeps; returns a Hyper-V status
 * @signal_event: HvSignalEvent; never sleeps; returns a Hyper-V status
 * @eom: end of message on a CPU's VP: the current CPU, or (panic) a
 *	stopped one; a backend that can only do the current CPU ignores others
 * @msg_page: per-CPU SynIC message page (index: CPU), NULL where absent
 * @flags_page: per-CPU SynIC event-flags page (index: CPU)
 * @vp: per-CPU VP index (index: CPU), -1 where the CPU has none
 * @nr_vps: VPs the host serves
 * @dev: the device that carries the backend; parent of the VMBus root
 */
struct vsc_hc_backend {
	const char *name;
	u64 (*post_message)(u32 connection_id, u32 message_type,
			    const void *payload, u32 size);
	u64 (*signal_event)(u32 connection_id, u16 flag_number);
	void (*eom)(unsigned int cpu);
	struct vsc_hv_message_page **msg_page;
	struct vsc_hv_event_flags_page **flags_page;
	int *vp;
	u32 nr_vps;
	struct device *dev;
};

int vsc_hc_backend_bind(struct vsc_hc_backend *be);
void vsc_hc_backend_unbind(struct vsc_hc_backend *be);
void vsc_hc_dispatch(void);

#ifdef HAVE_HYPERV_GUEST
int vsc_hc_native_register(void);
void vsc_hc_native_unregister(void);
#else
static inline int vsc_hc_native_register(void) { return 0; }
static inline void vsc_hc_native_unregister(void) { }
#endif

int vsc_hc_sim_register(void);
void vsc_hc_sim_unregister(void);

#endif /* _VSC_HYPERCALL_PRIV_H */
