// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_storvsc.ko: the synthetic SCSI VSC of the VSC suite. Each synthetic
 * SCSI controller the host offers becomes a SCSI host whose disks the
 * midlayer scans and sd drives; chan.c runs the VMBus channel and VSTOR,
 * scsi.c turns commands into packets and completions back.
 *
 * Limits come from the host where it says them: the largest transfer from
 * its properties (capped at 2 MiB), the queue depth from the ring, since
 * every command in flight must fit the outbound ring at its worst size.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <scsi/scsi_device.h>

#include "storvsc.h"

static const guid_t vsc_stor_classes[] = {
	GUID_INIT(0xba6163d9, 0x04a1, 0x4d29, 0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f),
	{ }
};

static void vsc_stor_rescan_work(struct work_struct *w)
{
	struct vsc_stor *s = container_of(w, struct vsc_stor, rescan);

	if (!READ_ONCE(s->gone))
		scsi_scan_host(s->shost);
}

static int vsc_stor_probe(struct vsc_vmbus_device *vdev)
{
	struct Scsi_Host *shost;
	struct vsc_stor *s;
	u32 xfer;
	int ret;

	shost = scsi_host_alloc(&vsc_stor_template, sizeof(*s));
	if (!shost)
		return -ENOMEM;
	s = shost_priv(shost);
	s->vdev = vdev;
	INIT_WORK(&s->rescan, vsc_stor_rescan_work);
	ret = vsc_stor_connect(s);
	if (ret)
		goto put;
	s->shost = shost;

	xfer = min_t(u32, s->props.max_transfer, VSC_STOR_MAX_XFER);
	shost->max_sectors = xfer >> SECTOR_SHIFT;
	shost->sg_tablesize = xfer / PAGE_SIZE + 1;
	shost->can_queue = vsc_stor_can_queue(VSC_STOR_RING, xfer);
	shost->cmd_per_lun = shost->can_queue;
	shost->max_channel = VSC_VSTOR_MAX_CHANNELS - 1;
	shost->max_id = VSC_VSTOR_MAX_TARGETS;
	shost->max_lun = VSC_VSTOR_MAX_LUNS;
	shost->max_cmd_len = VSC_VSTOR_CDB_MAX;
	dev_set_drvdata(&vdev->dev, s);

	ret = scsi_add_host(shost, &vdev->dev);
	if (ret)
		goto close;
	dev_info(&vdev->dev, "SCSI host %u: queue depth %u, max transfer %u KiB\n",
		 shost->host_no, shost->can_queue, xfer / 1024);
	scsi_scan_host(shost);
	return 0;
close:
	vsc_stor_disconnect(s);
put:
	scsi_host_put(shost);
	return ret;
}

/*
 * The host took the controller away: fail what it had, fail what comes,
 * and let remove take the SCSI host down (unmount still works, on a
 * device whose I/O fails).
 */
static void vsc_stor_rescind(struct vsc_vmbus_device *vdev)
{
	struct vsc_stor *s = dev_get_drvdata(&vdev->dev);

	WRITE_ONCE(s->gone, true);
	vsc_stor_fail_all(s, DID_NO_CONNECT);
}

static void vsc_stor_remove(struct vsc_vmbus_device *vdev)
{
	struct vsc_stor *s = dev_get_drvdata(&vdev->dev);

	cancel_work_sync(&s->rescan);
	scsi_remove_host(s->shost);
	WRITE_ONCE(s->gone, true);
	vsc_stor_disconnect(s);
	/* Anything the host left unanswered is failed, never left hanging. */
	vsc_stor_fail_all(s, DID_NO_CONNECT);
	scsi_host_put(s->shost);
}

static struct vsc_vmbus_driver vsc_stor_driver = {
	.name = "vsc_storvsc",
	.classes = vsc_stor_classes,
	.probe = vsc_stor_probe,
	.remove = vsc_stor_remove,
	.rescind = vsc_stor_rescind,
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
MODULE_LICENSE("GPL");
