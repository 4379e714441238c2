// SPDX-License-Identifier: GPL-2.0
/*
 * SynIC message slots and event flags in guest pages. The guest may write
 * these pages at any time; each field is read once, and the only decision
 * taken from the slot is "free or busy".
 */
#include <string.h>

#include "shared.h"
#include "synic.h"

#define SLOT_TYPE	offsetof(struct vsc_hv_message_header, message_type)
#define SLOT_SIZE	offsetof(struct vsc_hv_message_header, payload_size)
#define SLOT_FLAGS	offsetof(struct vsc_hv_message_header, message_flags)
#define SLOT_SENDER	offsetof(struct vsc_hv_message_header, sender)
#define SLOT_PAYLOAD	offsetof(struct vsc_hv_message, payload)

enum vsp_reg_state vsp_synic_reg_parse(uint64_t reg,
				       const struct vsp_ram_layout *l,
				       uint64_t *gpa)
{
	uint64_t page = reg & VSC_SYNIC_GPA_MASK;
	uint64_t off;

	if (!(reg & VSC_SYNIC_ENABLE))
		return VSP_REG_OFF;
	if (reg & ~VSC_SYNIC_GPA_MASK & ~VSC_SYNIC_ENABLE)
		return VSP_REG_BAD_ALIGN;
	if (!vsp_gpa_translate(l, page, 1ULL << VSC_SYNIC_PAGE_SHIFT, &off))
		return VSP_REG_BAD_RANGE;
	*gpa = page;
	return VSP_REG_ON;
}

uint32_t vsp_slot_type(void *slot)
{
	return sh_load32(slot, SLOT_TYPE);
}

bool vsp_slot_pending(void *slot)
{
	return sh_load8(slot, SLOT_FLAGS) & VSC_HV_MSG_PENDING;
}

bool vsp_slot_try_deliver(void *slot, const struct vsp_msg *m)
{
	uint8_t *s = slot;

	if (vsp_slot_type(slot) != VSC_HV_MSG_NONE)
		return false;
	memcpy(s + SLOT_PAYLOAD, m->payload, m->size);
	memset(s + SLOT_PAYLOAD + m->size, 0, VSC_HV_MESSAGE_PAYLOAD - m->size);
	__atomic_store_n(s + SLOT_SIZE, m->size, __ATOMIC_RELAXED);
	__atomic_store_n(s + SLOT_FLAGS, 0, __ATOMIC_RELAXED);
	__atomic_store_n(s + SLOT_FLAGS + 1, 0, __ATOMIC_RELAXED);
	__atomic_store_n(s + SLOT_FLAGS + 2, 0, __ATOMIC_RELAXED);
	sh_store64(slot, SLOT_SENDER, m->sender);
	/* Publishes everything above. */
	sh_store32(slot, SLOT_TYPE, m->type);
	return true;
}

bool vsp_slot_mark_pending(void *slot)
{
	sh_or8(slot, SLOT_FLAGS, VSC_HV_MSG_PENDING);
	sh_fence();
	return vsp_slot_type(slot) != VSC_HV_MSG_NONE;
}

void vsp_flags_set(void *area, unsigned int bit)
{
	bit %= VSC_HV_EVENT_FLAGS_COUNT;
	sh_or64(area, (bit / 64) * 8, 1ULL << (bit % 64));
}

bool vsp_flags_any(void *area)
{
	unsigned int i;

	for (i = 0; i < VSC_HV_EVENT_FLAGS_BYTES / 8; i++)
		if (sh_load64(area, i * 8))
			return true;
	return false;
}
