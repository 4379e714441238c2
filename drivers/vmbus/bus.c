// SPDX-License-Identifier: GPL-2.0
/*
 * The vsc_vmbus bus type: matches devices to drivers by interface GUID and
 * announces MODALIAS=vsc_vmbus:<class guid> so that udev autoloads drivers
 * that declare the same alias.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "vmbus_core.h"

static bool vsc_vmbus_class_listed(const struct vsc_vmbus_driver *drv,
				   const guid_t *class_id)
{
	const guid_t *g;

	for (g = drv->classes; g && !guid_is_null(g); g++)
		if (guid_equal(g, class_id))
			return true;
	return false;
}

static int vsc_vmbus_match(struct device *dev, vsc_match_drv_t *drv)
{
	const struct vsc_vmbus_driver *vdrv = to_vsc_vmbus_driver(drv);

	return vsc_vmbus_class_listed(vdrv, &to_vsc_vmbus_device(dev)->class_id);
}

static int vsc_vmbus_uevent(vsc_uevent_dev_t *dev, struct kobj_uevent_env *env)
{
	const struct vsc_vmbus_device *vdev = to_vsc_vmbus_device(dev);

	return add_uevent_var(env, "MODALIAS=vsc_vmbus:%pUl", &vdev->class_id);
}

static int vsc_vmbus_probe(struct device *dev)
{
	struct vsc_vmbus_driver *drv = to_vsc_vmbus_driver(dev->driver);

	struct vsc_vmbus_device *vdev = to_vsc_vmbus_device(dev);
	int ret = drv->probe ? drv->probe(vdev) : -ENODEV;

	/* A failed probe leaves no callbacks behind, nor open sub-channels. */
	if (ret)
		vsc_vmbus_sc_unbind(vdev, NULL);
	return ret;
}

static void vsc_vmbus_remove(struct device *dev)
{
	struct vsc_vmbus_driver *drv = to_vsc_vmbus_driver(dev->driver);

	/* No sub-channel callback runs during or after the driver's remove. */
	vsc_vmbus_sc_unbind(to_vsc_vmbus_device(dev), drv->remove);
}

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_vsc_vmbus_device(dev)->class_id);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_vsc_vmbus_device(dev)->device_id);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t relid_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_vsc_vmbus_device(dev)->relid);
}
static DEVICE_ATTR_RO(relid);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "vsc_vmbus:%pUl\n",
			  &to_vsc_vmbus_device(dev)->class_id);
}
static DEVICE_ATTR_RO(modalias);

static struct attribute *vsc_vmbus_dev_attrs[] = {
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_relid.attr,
	&dev_attr_modalias.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vsc_vmbus_dev);

vsc_bus_type_t vsc_vmbus_bus = {
	.name = "vsc_vmbus",
	.match = vsc_vmbus_match,
	.uevent = vsc_vmbus_uevent,
	.probe = vsc_vmbus_probe,
	.remove = vsc_vmbus_remove,
	.dev_groups = vsc_vmbus_dev_groups,
};

/**
 * __vsc_vmbus_driver_register() - register a VSC driver on the vsc_vmbus bus
 * @drv: the driver; @drv->classes must end with a null GUID
 * @owner: the module that owns @drv (use vsc_vmbus_driver_register())
 *
 * Return: 0 or a negative errno from driver_register().
 */
int __vsc_vmbus_driver_register(struct vsc_vmbus_driver *drv,
				struct module *owner)
{
	drv->driver.name = drv->name;
	drv->driver.owner = owner;
	drv->driver.bus = &vsc_vmbus_bus;
	drv->driver.dev_groups = drv->dev_groups;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__vsc_vmbus_driver_register);

/**
 * vsc_vmbus_driver_unregister() - unregister a VSC driver
 * @drv: a driver registered with vsc_vmbus_driver_register()
 *
 * Unbinds it from every device it drives first.
 */
void vsc_vmbus_driver_unregister(struct vsc_vmbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(vsc_vmbus_driver_unregister);
