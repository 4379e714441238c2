/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between vmbus.c and chanmsg.c only: not an API. */
#ifndef VSP_VMBUS_INT_H
#define VSP_VMBUS_INT_H

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

/* The message handlers of chanmsg.c. */
void vsp_vm_on_gpadl(struct vsp_vmbus *vm, const struct vsp_post *p,
		     bool body);
void vsp_vm_on_gpadl_teardown(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_open(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_close(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_relid_released(struct vsp_vmbus *vm, const struct vsp_post *p);
void vsp_vm_on_modify(struct vsp_vmbus *vm, const struct vsp_post *p);

#endif /* VSP_VMBUS_INT_H */
