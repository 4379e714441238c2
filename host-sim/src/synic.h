/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SynIC as vsp-sim drives it: validation of the guest's SIMP/SIEFP
 * values, delivery into a SINT 2 message slot, the message-pending flag,
 * and SINT 2 event flags. Pure functions over a register value and over
 * pointers to guest pages the caller has already validated.
 */
#ifndef VSP_SYNIC_H
#define VSP_SYNIC_H

#include <stdbool.h>
#include <stdint.h>

#include <vsc/hv.h>

#include "gpa.h"

enum vsp_reg_state {
	VSP_REG_OFF,		/* enable bit clear: no page */
	VSP_REG_ON,		/* a valid page of guest RAM */
	VSP_REG_BAD_ALIGN,	/* reserved bits 1-11 set */
	VSP_REG_BAD_RANGE,	/* the page is not guest RAM */
};

/* Parses a SIMP/SIEFP value; *gpa is the page when VSP_REG_ON. */
enum vsp_reg_state vsp_synic_reg_parse(uint64_t reg,
				       const struct vsp_ram_layout *l,
				       uint64_t *gpa);

/* A message for a SINT 2 slot, as the host builds it. */
struct vsp_msg {
	uint32_t type;		/* never 0 */
	uint8_t size;		/* <= VSC_HV_MESSAGE_PAYLOAD */
	uint64_t sender;
	uint8_t payload[VSC_HV_MESSAGE_PAYLOAD];
};

/* Offset of the SINT 2 slot in a message page, of its flags in a SIEFP. */
#define VSP_SINT2_SLOT_OFF	(VSC_VMBUS_SINT * VSC_HV_MESSAGE_SIZE)
#define VSP_SINT2_FLAGS_OFF	(VSC_VMBUS_SINT * VSC_HV_EVENT_FLAGS_BYTES)

/* The slot's message_type, read once (0: free). */
uint32_t vsp_slot_type(void *slot);

/* True if the slot's message-pending flag is set (read once). */
bool vsp_slot_pending(void *slot);

/*
 * Writes m into slot if it is free: payload and header, message_type last
 * with release semantics, message_flags 0. Returns false if it was busy.
 */
bool vsp_slot_try_deliver(void *slot, const struct vsp_msg *m);

/*
 * Sets the slot's message-pending flag, then (after a full barrier)
 * re-reads message_type. Returns true if the slot is still busy, so the
 * guest will see the flag when it frees the slot; false if the guest freed
 * it meanwhile and the caller should deliver now.
 */
bool vsp_slot_mark_pending(void *slot);

/* Sets flag bit (< VSC_HV_EVENT_FLAGS_COUNT) in a 256-byte flag area. */
void vsp_flags_set(void *area, unsigned int bit);

/* True when any bit of the flag area is set. */
bool vsp_flags_any(void *area);

#endif /* VSP_SYNIC_H */
