// SPDX-License-Identifier: GPL-2.0
/*
 * The sim backend of the hypercall shim: a PCI driver for the ivshmem
 * device through which vsp-sim plays the hypervisor. It binds only when
 * BAR2 opens with the vsp-sim magic and a layout version it knows, so an
 * ivshmem device used for anything else is left alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <vsc/sim.h>

#include "hypercall.h"

static int vsc_hc_sim_check_header(struct pci_dev *pdev, void __iomem *bar2)
{
	u64 magic = readq(bar2 + offsetof(struct vsc_sim_header, magic));
	u32 version = readl(bar2 + offsetof(struct vsc_sim_header, version));

	if (magic != VSC_SIM_MAGIC) {
		pci_info(pdev, "BAR2 magic %#llx is not vsp-sim's, not binding\n",
			 magic);
		return -ENODEV;
	}
	if (version != VSC_SIM_VERSION) {
		pci_warn(pdev, "vsp-sim layout version %u, this shim knows %u\n",
			 version, VSC_SIM_VERSION);
		return -ENODEV;
	}
	return 0;
}

static int vsc_hc_sim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *bar2;
	int ret;

	if (pci_resource_len(pdev, VSC_SIM_BAR_SHARED) <
	    sizeof(struct vsc_sim_header))
		return -ENODEV;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	bar2 = pcim_iomap(pdev, VSC_SIM_BAR_SHARED, 0);
	if (!bar2)
		return -ENOMEM;

	ret = vsc_hc_sim_check_header(pdev, bar2);
	if (ret)
		return ret;

	pci_set_master(pdev);
	pci_info(pdev, "vsp-sim transport, layout version %u\n",
		 VSC_SIM_VERSION);
	return 0;
}

static const struct pci_device_id vsc_hc_sim_ids[] = {
	{ PCI_DEVICE(VSC_SIM_PCI_VENDOR, VSC_SIM_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vsc_hc_sim_ids);

static struct pci_driver vsc_hc_sim_driver = {
	.name = "vsc_hypercall_sim",
	.id_table = vsc_hc_sim_ids,
	.probe = vsc_hc_sim_probe,
};

int vsc_hc_sim_register(void)
{
	return pci_register_driver(&vsc_hc_sim_driver);
}

void vsc_hc_sim_unregister(void)
{
	pci_unregister_driver(&vsc_hc_sim_driver);
}
