/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations shared by the files of vsc_hypercall.ko. */
#ifndef _VSC_HYPERCALL_PRIV_H
#define _VSC_HYPERCALL_PRIV_H

int vsc_hc_sim_register(void);
void vsc_hc_sim_unregister(void);

#endif /* _VSC_HYPERCALL_PRIV_H */
