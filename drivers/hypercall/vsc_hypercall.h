/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API of vsc_hypercall.ko, the platform layer under VMBus: the same
 * calls over real Hyper-V (native backend) and over vsp-sim (sim backend).
 */
#ifndef _VSC_HYPERCALL_API_H
#define _VSC_HYPERCALL_API_H

#include <linux/types.h>
#include <vsc/hv.h>

/**
 * typedef vsc_hc_isr_t - the VMBus interrupt handler
 *
 * Called in hard interrupt context on the CPU the host targeted, after the
 * host put a message in that CPU's SINT 2 slot or set event flags in its
 * SINT 2 flag area (or both, or neither: interrupts may be spurious or
 * coalesced).
 */
typedef void (*vsc_hc_isr_t)(void);

u64 vsc_hc_post_message(u32 connection_id, u32 message_type,
			const void *payload, u32 size);
u64 vsc_hc_signal_event(u32 connection_id, u16 flag_number);
void vsc_hc_eom(void);
void vsc_hc_eom_cpu(unsigned int cpu);

struct vsc_hv_message *vsc_hc_sint_message(unsigned int cpu);
struct vsc_hv_event_flags *vsc_hc_sint_flags(unsigned int cpu);
int vsc_hc_vp_index(unsigned int cpu);
u32 vsc_hc_nr_vps(void);

int vsc_hc_set_isr(vsc_hc_isr_t isr);
void vsc_hc_clear_isr(vsc_hc_isr_t isr);
bool vsc_hc_bound(void);

#endif /* _VSC_HYPERCALL_API_H */
