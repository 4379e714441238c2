// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_netvsc.ko: Synthetic network VSC of the VSC suite.
 *
 * The driver registers for its device class so that udev loads it when the
 * host offers such a device; the NVSP/RNDIS protocol is not implemented yet, so
 * probe declines the device and says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vmbus/vsc_vmbus.h"

static const guid_t vsc_net_classes[] = {
	GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, 0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e),
	{ }
};

static int vsc_net_probe(struct vsc_vmbus_device *vdev)
{
	dev_info(&vdev->dev, "NVSP/RNDIS is not implemented yet, not binding\n");
	return -ENODEV;
}

static struct vsc_vmbus_driver vsc_net_driver = {
	.name = "vsc_netvsc",
	.classes = vsc_net_classes,
	.probe = vsc_net_probe,
};

static int __init vsc_net_init(void)
{
	return vsc_vmbus_driver_register(&vsc_net_driver);
}

static void __exit vsc_net_exit(void)
{
	vsc_vmbus_driver_unregister(&vsc_net_driver);
}

module_init(vsc_net_init);
module_exit(vsc_net_exit);

MODULE_DESCRIPTION("Synthetic network VSC of the VSC suite");
VSC_VMBUS_MODULE_CLASS(VSC_CLASS_NETVSC_STR);
MODULE_LICENSE("GPL");
