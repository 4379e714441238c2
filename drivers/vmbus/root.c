// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus root: vsc_hypercall creates a platform device "vsc_vmbus" once
 * a backend serves; binding to it connects to the host and makes a device
 * of every offer. Unbinding removes them and sends UNLOAD.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "vmbus_core.h"

#define VSC_VMBUS_GPADL_FIRST	0xe1e10

static int vsc_vmbus_root_probe(struct platform_device *pdev)
{
	struct vsc_vmbus_conn *conn;
	int ret;

	conn = devm_kzalloc(&pdev->dev, sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return -ENOMEM;
	conn->dev = &pdev->dev;
	spin_lock_init(&conn->lock);
	INIT_LIST_HEAD(&conn->gpadl_waits);
	conn->next_gpadl = VSC_VMBUS_GPADL_FIRST;
	mutex_init(&conn->offer_mutex);
	init_completion(&conn->version_done);
	init_completion(&conn->offers_done);
	init_completion(&conn->unload_done);
	conn->wq = alloc_ordered_workqueue("vsc_vmbus_offers", 0);
	if (!conn->wq)
		return -ENOMEM;
	ret = vsc_vmbus_offer_pool_create(conn);
	if (ret) {
		destroy_workqueue(conn->wq);
		return ret;
	}
	platform_set_drvdata(pdev, conn);

	ret = vsc_vmbus_isr_start(conn);
	if (ret)
		goto err_wq;
	ret = vsc_vmbus_connect(conn);
	if (!ret)
		ret = vsc_vmbus_hotplug_start(conn);
	if (ret)
		goto err_isr;
	vsc_vmbus_panic_start(conn);
	return 0;

err_isr:
	vsc_vmbus_remove_all(conn);
	vsc_vmbus_unload(conn);
	vsc_vmbus_isr_stop(conn);
err_wq:
	destroy_workqueue(conn->wq);
	mempool_destroy(conn->offer_pool);
	free_pages((unsigned long)conn->monitor_pages, 1);
	free_page((unsigned long)conn->int_page);
	return ret;
}

static void vsc_vmbus_root_remove(struct platform_device *pdev)
{
	struct vsc_vmbus_conn *conn = platform_get_drvdata(pdev);

	vsc_vmbus_panic_stop(conn);
	vsc_vmbus_hotplug_stop(conn);
	vsc_vmbus_remove_all(conn);
	vsc_vmbus_unload(conn);
	vsc_vmbus_isr_stop(conn);
	destroy_workqueue(conn->wq);
	mempool_destroy(conn->offer_pool);
	free_pages((unsigned long)conn->monitor_pages, 1);
	free_page((unsigned long)conn->int_page);
}

static void vsc_vmbus_root_shutdown(struct platform_device *pdev)
{
	struct vsc_vmbus_conn *conn = platform_get_drvdata(pdev);

	if (conn)
		vsc_vmbus_unload(conn);
}

static const struct platform_device_id vsc_vmbus_root_ids[] = {
	{ "vsc_vmbus" },
	{ }
};
MODULE_DEVICE_TABLE(platform, vsc_vmbus_root_ids);

static struct platform_driver vsc_vmbus_root_driver = {
	.driver = { .name = "vsc_vmbus" },
	.id_table = vsc_vmbus_root_ids,
	.probe = vsc_vmbus_root_probe,
	.vsc_platform_remove = vsc_vmbus_root_remove,
	.shutdown = vsc_vmbus_root_shutdown,
};

int vsc_vmbus_root_register(void)
{
	return platform_driver_register(&vsc_vmbus_root_driver);
}

void vsc_vmbus_root_unregister(void)
{
	platform_driver_unregister(&vsc_vmbus_root_driver);
}
