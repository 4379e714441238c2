/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API of vsc_vmbus.ko for the VSC drivers (storvsc, netvsc, balloon,
 * test drivers). Wire formats live in include/vsc/; this is kernel-only.
 */
#ifndef _VSC_VMBUS_API_H
#define _VSC_VMBUS_API_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/uuid.h>
#include <vsc/vmbus.h>

/**
 * struct vsc_vmbus_device - a channel offer, as a device on the vsc_vmbus bus
 * @dev: the driver-model device; its parent is the bus's root device
 * @class_id: interface type of the offer (selects the driver)
 * @device_id: interface instance of the offer
 * @relid: the host's relative id of the primary channel
 */
struct vsc_vmbus_device {
	struct device dev;
	guid_t class_id;
	guid_t device_id;
	u32 relid;
};

#define to_vsc_vmbus_device(d) container_of(d, struct vsc_vmbus_device, dev)

/**
 * struct vsc_vmbus_driver - a driver for one or more VMBus device classes
 * @name: driver name, as in /sys/bus/vsc_vmbus/drivers/
 * @classes: interface GUIDs the driver binds to, ending with a null GUID
 * @probe: bind to a device; may sleep
 * @remove: unbind; must not fail
 * @driver: the driver-model driver
 */
struct vsc_vmbus_driver {
	const char *name;
	const guid_t *classes;
	int (*probe)(struct vsc_vmbus_device *vdev);
	void (*remove)(struct vsc_vmbus_device *vdev);
	struct device_driver driver;
};

#define to_vsc_vmbus_driver(d) container_of(d, struct vsc_vmbus_driver, driver)

int __vsc_vmbus_driver_register(struct vsc_vmbus_driver *drv,
				struct module *owner);
void vsc_vmbus_driver_unregister(struct vsc_vmbus_driver *drv);

#define vsc_vmbus_driver_register(drv) \
	__vsc_vmbus_driver_register(drv, THIS_MODULE)

/* Converts a wire GUID to the kernel's type; both are 16 bytes in order. */
static inline guid_t vsc_vmbus_guid(const struct vsc_guid *g)
{
	guid_t out;

	memcpy(&out, g->b, sizeof(out));
	return out;
}

/*
 * Declares the module alias that makes udev load a driver for the device
 * class whose GUID is given as a lower-case string (see VSC_CLASS_*_STR).
 */
#define VSC_VMBUS_MODULE_CLASS(guid_str) MODULE_ALIAS("vsc_vmbus:" guid_str)

#endif /* _VSC_VMBUS_API_H */
