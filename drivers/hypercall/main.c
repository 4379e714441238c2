// SPDX-License-Identifier: GPL-2.0
/* vsc_hypercall.ko: module entry points. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "hypercall.h"

static int __init vsc_hc_init(void)
{
	return vsc_hc_sim_register();
}

static void __exit vsc_hc_exit(void)
{
	vsc_hc_sim_unregister();
}

module_init(vsc_hc_init);
module_exit(vsc_hc_exit);

MODULE_DESCRIPTION("Hypercall shim of the VSC suite (platform layer under VMBus)");
MODULE_LICENSE("GPL");
