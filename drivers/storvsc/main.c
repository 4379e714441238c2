// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_storvsc.ko: Synthetic SCSI VSC of the VSC suite.
 *
 * The driver registers for its device class so that udev loads it when the
 * host offers such a device; the VSTOR protocol is not implemented yet, so
 * probe declines the device and says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vmbus/vsc_vmbus.h"

static const guid_t vsc_stor_classes[] = {
	GUID_INIT(0xba6163d9, 0x04a1, 0x4d29, 0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f),
	GUID_INIT(0x32412632, 0x86cb, 0x44a2, 0x9b, 0x5c, 0x50, 0xd1, 0x41, 0x73, 0x54, 0xf5),
	{ }
};

static int vsc_stor_probe(struct vsc_vmbus_device *vdev)
{
	dev_info(&vdev->dev, "VSTOR is not implemented yet, not binding\n");
	return -ENODEV;
}

static struct vsc_vmbus_driver vsc_stor_driver = {
	.name = "vsc_storvsc",
	.classes = vsc_stor_classes,
	.probe = vsc_stor_probe,
};

static int __init vsc_stor_init(void)
{
	return vsc_vmbus_driver_register(&vsc_stor_driver);
}

static void __exit vsc_stor_exit(void)
{
	vsc_vmbus_driver_unregister(&vsc_stor_driver);
}

module_init(vsc_stor_init);
module_exit(vsc_stor_exit);

MODULE_DESCRIPTION("Synthetic SCSI VSC of the VSC suite");
VSC_VMBUS_MODULE_CLASS(VSC_CLASS_STORVSC_STR);
VSC_VMBUS_MODULE_CLASS(VSC_CLASS_IDE_STR);
MODULE_LICENSE("GPL");
