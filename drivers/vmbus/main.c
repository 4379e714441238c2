// SPDX-License-Identifier: GPL-2.0
/* vsc_vmbus.ko: module entry points. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vmbus_core.h"

static int __init vsc_vmbus_init(void)
{
	return bus_register(&vsc_vmbus_bus);
}

static void __exit vsc_vmbus_exit(void)
{
	bus_unregister(&vsc_vmbus_bus);
}

module_init(vsc_vmbus_init);
module_exit(vsc_vmbus_exit);

MODULE_DESCRIPTION("VMBus bus driver of the VSC suite");
MODULE_LICENSE("GPL");
