/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure encodings of the native backend: SynIC register values, hypercall
 * inputs and the decision to refuse a SynIC someone else owns. Kept apart
 * from native.c so that KUnit checks them on any kernel, Hyper-V or not.
 */
#ifndef _VSC_HC_NATIVE_ENC_H
#define _VSC_HC_NATIVE_ENC_H

#include <linux/types.h>
#include <vsc/hv.h>

/* SIMP or SIEFP value that enables the page at physical address @pa. */
static inline u64 vsc_hc_synic_page_value(u64 old, phys_addr_t pa)
{
	/* Keep the reserved bits 1-11 as the hypervisor has them. */
	return (old & ~VSC_SYNIC_GPA_MASK & ~VSC_SYNIC_ENABLE) |
	       (pa & VSC_SYNIC_GPA_MASK) | VSC_SYNIC_ENABLE;
}

/* SINTx value that delivers on @vector, unmasked. */
static inline u64 vsc_hc_sint_value(u64 old, u8 vector, bool auto_eoi)
{
	u64 v = old & ~(VSC_SINT_VECTOR_MASK | VSC_SINT_MASKED |
			VSC_SINT_AUTO_EOI | VSC_SINT_POLLING | VSC_SINT_PROXY);

	v |= vector;
	if (auto_eoi)
		v |= VSC_SINT_AUTO_EOI;
	return v;
}

/* SINTx value that masks the SINT again. */
static inline u64 vsc_hc_sint_masked(u64 old)
{
	return old | VSC_SINT_MASKED;
}

/*
 * Whether another driver (the in-tree hv_vmbus) owns the SynIC: it has
 * enabled the message page, or unmasked SINT 2. Returns a reason or NULL.
 */
static inline const char *vsc_hc_synic_taken(u64 simp, u64 sint2)
{
	if (simp & VSC_SYNIC_ENABLE)
		return "the SynIC message page is already enabled";
	if (!(sint2 & VSC_SINT_MASKED))
		return "SINT 2 is already unmasked";
	return NULL;
}

/* The register input of HvSignalEvent (a fast hypercall). */
static inline u64 vsc_hc_signal_input(u32 connection_id, u16 flag_number)
{
	return (u64)(connection_id & VSC_HV_CONNECTION_ID_MASK) |
	       (u64)flag_number << 32;
}

/* Fills the input page of HvPostMessage; @size is at most 240. */
static inline void vsc_hc_post_input(struct vsc_hv_post_message *in,
				     u32 connection_id, u32 message_type,
				     const void *payload, u32 size)
{
	in->connection_id = cpu_to_le32(connection_id & VSC_HV_CONNECTION_ID_MASK);
	in->reserved = 0;
	in->message_type = cpu_to_le32(message_type);
	in->payload_size = cpu_to_le32(size);
	memcpy(in->payload, payload, size);
}

#endif /* _VSC_HC_NATIVE_ENC_H */
