// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_balloon.ko: Dynamic Memory VSC of the VSC suite.
 *
 * The driver registers for its device class so that udev loads it when the
 * host offers such a device; the Dynamic Memory protocol is not implemented yet, so
 * probe declines the device and says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vmbus/vsc_vmbus.h"

static const guid_t vsc_bln_classes[] = {
	GUID_INIT(0x525074dc, 0x8985, 0x46e2, 0x80, 0x57, 0xa3, 0x07, 0xdc, 0x18, 0xa5, 0x02),
	{ }
};

static int vsc_bln_probe(struct vsc_vmbus_device *vdev)
{
	dev_info(&vdev->dev, "Dynamic Memory is not implemented yet, not binding\n");
	return -ENODEV;
}

static struct vsc_vmbus_driver vsc_bln_driver = {
	.name = "vsc_balloon",
	.classes = vsc_bln_classes,
	.probe = vsc_bln_probe,
};

static int __init vsc_bln_init(void)
{
	return vsc_vmbus_driver_register(&vsc_bln_driver);
}

static void __exit vsc_bln_exit(void)
{
	vsc_vmbus_driver_unregister(&vsc_bln_driver);
}

module_init(vsc_bln_init);
module_exit(vsc_bln_exit);

MODULE_DESCRIPTION("Dynamic Memory VSC of the VSC suite");
VSC_VMBUS_MODULE_CLASS(VSC_CLASS_DYNMEM_STR);
MODULE_LICENSE("GPL");
