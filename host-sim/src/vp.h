/* SPDX-License-Identifier: GPL-2.0 */
/* Per-VP delivery helpers shared by host.c and vp.c (not an API). */
#ifndef VSP_VP_H
#define VSP_VP_H

#include "host.h"

void vsp_vp_raise(struct vsp_host *h, unsigned int n);
void vsp_vp_raise_now(struct vsp_host *h, unsigned int n);
void *vsp_vp_slot(struct vsp_host *h, unsigned int n);
void *vsp_vp_flags(struct vsp_host *h, unsigned int n);
void vsp_vp_pump(struct vsp_host *h, unsigned int n);
void vsp_vp_eom(struct vsp_host *h, unsigned int n, uint32_t eom);
void vsp_vp_reset(struct vsp_vp *vp, uint32_t eom_now);

#endif /* VSP_VP_H */
