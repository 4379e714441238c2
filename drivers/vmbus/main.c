// SPDX-License-Identifier: GPL-2.0
/* vsc_vmbus.ko: module entry points. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vmbus_core.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static int __init vsc_vmbus_init(void)
{
	int ret = bus_register(&vsc_vmbus_bus);

	if (ret)
		return ret;
	vsc_vmbus_debugfs_init();
	ret = vsc_vmbus_root_register();
	if (ret) {
		vsc_vmbus_debugfs_exit();
		bus_unregister(&vsc_vmbus_bus);
	}
	return ret;
}

static void __exit vsc_vmbus_exit(void)
{
	vsc_vmbus_root_unregister();
	vsc_vmbus_debugfs_exit();
	bus_unregister(&vsc_vmbus_bus);
}

module_init(vsc_vmbus_init);
module_exit(vsc_vmbus_exit);

MODULE_DESCRIPTION("VMBus bus driver of the VSC suite");
MODULE_LICENSE("GPL");
