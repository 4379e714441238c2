/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between vmbus.c and chanmsg.c only: not an API. */
#ifndef VSP_VMBUS_INT_H
#define VSP_VMBUS_INT_H

#include <vsc/echo.h>

#include "vmbus.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define V(h, kind, ...) vsp_host_violation(h, VSP_V_##kind, __VA_ARGS__)

/* Queues a message for the control VP (callers made sure of the room). */
void vsp_vm_send(struct vsp_vmbus *vm, const void *msg, uint32_t len);
void vsp_vm_hdr(void *msg, uint32_t type);
void vsp_vm_send_torndown(struct vsp_vmbus *vm, uint32_t handle);
/* Ends a channel's data path: the worker stops, the mapping goes. */
void vsp_vm_chan_stop(struct vsp_vmbus *vm, struct vsp_chan *c);
/* Frees the GPADLs of relid (0: all) without answering. */
void vsp_vm_free_gpadls(struct vsp_vmbus *vm, uint32_t relid);

/* Messages a primary's close or rescind may cause for its sub-channels. */
#define VSP_SUB_MSGS	VSC_ECHO_MAX_SUBCHANNELS

/* subchan.c: rescinds primary's sub-channels; forgets them all (reset). */
void vsp_vm_subs_rescind(struct vsp_vmbus *vm, uint32_t primary);
void vsp_vm_subs_forget(struct vsp_vmbus *vm);
/* Makes the sub-channel offers that are due, while the queue has room. */
void vsp_vm_subs_offer(struct vsp_vmbus *vm);
/* vmbus.c: sends c's OFFERCHANNEL; frees a free relid for a new channel. */
void vsp_vm_send_offer(struct vsp_vmbus *vm, struct vsp_chan *c);
struct vsp_chan *vsp_vm_chan_alloc(struct vsp_vmbus *vm);
void vsp_vm_send_relid(struct vsp_vmbus *vm, uint32_t type, uint32_t relid);
unsigned int vsp_vm_room(const struct vsp_vmbus *vm);

/* The message handlers of chanmsg.c. */
void vsp_vm_on_gpadl(struct vsp_vmbus *vm, const struct vsp_post *p,
		     bool body);
void vsp_vm_on_gpadl_teardown(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_open(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_close(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_relid_released(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_modify(struct vsp_vmbus *vm, const struct vsp_post *p);

#endif /* VSP_VMBUS_INT_H */
