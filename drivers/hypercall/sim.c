// SPDX-License-Identifier: GPL-2.0
/*
 * The sim backend: the hypercall shim over vsp-sim, reached through QEMU's
 * ivshmem-doorbell device. The protocol is docs/sim-transport.md; the
 * layout include/vsc/sim.h. Binds only when BAR2 carries the vsp-sim magic
 * and a version it knows, so an ivshmem device used for anything else is
 * left alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <vsc/sim.h>

#include "hypercall.h"

struct vsc_hc_sim {
	struct pci_dev *pdev;
	void __iomem *regs;		/* BAR0: doorbell */
	void *bar2;			/* BAR2: shared with vsp-sim */
	struct vsc_sim_header *hdr;
	struct vsc_sim_guest *guest;
	struct vsc_sim_wake *wake;
	struct vsc_sim_vp *vps;
	unsigned long *signals;
	struct vsc_sim_mailbox *mbox;
	struct vsc_hv_post_message *slots;
	raw_spinlock_t post_lock;	/* serializes the mailbox producer */
	u32 prod;			/* shadow of mbox->prod */
	unsigned int nvec;
	bool pages_shared;		/* the host may still write our pages */
	struct vsc_hc_backend be;
};

/* One instance at a time: the API has no device argument. */
static struct vsc_hc_sim *vsc_hc_sim;

/* Publish-then-wake: ring the doorbell unless the host is already woken. */
static void vsc_hc_sim_wake(struct vsc_hc_sim *s)
{
	/* xchg is a full barrier: it orders the publication before it. */
	if (xchg(&s->wake->doorbell_pending, cpu_to_le32(1)) == cpu_to_le32(0))
		writel(VSC_SIM_HOST_PEER << 16 | VSC_SIM_HOST_VECTOR,
		       s->regs + VSC_SIM_REG_DOORBELL);
}

static u64 vsc_hc_sim_post(u32 connection_id, u32 message_type,
			   const void *payload, u32 size)
{
	struct vsc_hc_sim *s = READ_ONCE(vsc_hc_sim);
	struct vsc_hv_post_message *slot;
	unsigned long flags;
	u32 cons;

	/* In a panic the lock's holder may be a CPU that was stopped. */
	if (!oops_in_progress)
		raw_spin_lock_irqsave(&s->post_lock, flags);
	else if (!raw_spin_trylock_irqsave(&s->post_lock, flags))
		return VSC_HV_STATUS_INSUFFICIENT_BUFFERS;
	cons = le32_to_cpu(READ_ONCE(s->mbox->cons));
	/* Also "full" when the host's counter is ahead of ours: garbage. */
	if (s->prod - cons >= VSC_SIM_MAILBOX_SLOTS) {
		raw_spin_unlock_irqrestore(&s->post_lock, flags);
		return VSC_HV_STATUS_INSUFFICIENT_BUFFERS;
	}
	slot = &s->slots[s->prod % VSC_SIM_MAILBOX_SLOTS];
	slot->connection_id = cpu_to_le32(connection_id);
	slot->reserved = 0;
	slot->message_type = cpu_to_le32(message_type);
	slot->payload_size = cpu_to_le32(size);
	memcpy(slot->payload, payload, size);
	s->prod++;
	/* Orders the slot's contents before the host can see the new prod. */
	smp_store_release(&s->mbox->prod, cpu_to_le32(s->prod));
	raw_spin_unlock_irqrestore(&s->post_lock, flags);
	vsc_hc_sim_wake(s);
	return VSC_HV_STATUS_SUCCESS;
}

static u64 vsc_hc_sim_signal(u32 connection_id, u16 flag_number)
{
	struct vsc_hc_sim *s = READ_ONCE(vsc_hc_sim);

	if (connection_id >= VSC_SIM_CONN_IDS)
		return VSC_HV_STATUS_INVALID_CONNECTION_ID;
	set_bit_le(connection_id, s->signals);
	vsc_hc_sim_wake(s);
	return VSC_HV_STATUS_SUCCESS;
}

static void vsc_hc_sim_eom(unsigned int cpu)
{
	struct vsc_hc_sim *s = READ_ONCE(vsc_hc_sim);
	int vp = s->be.vp[cpu];
	struct vsc_sim_vp *v;

	if (vp < 0)
		return;
	v = &s->vps[vp];
	/* Only @cpu writes its VP's counter, or a panic that stopped it. */
	WRITE_ONCE(v->eom_count, cpu_to_le32(le32_to_cpu(v->eom_count) + 1));
	vsc_hc_sim_wake(s);
}

static irqreturn_t vsc_hc_sim_isr(int irq, void *data)
{
	vsc_hc_dispatch();
	return IRQ_HANDLED;
}

static int vsc_hc_sim_check_header(struct vsc_hc_sim *s, resource_size_t len)
{
	struct vsc_sim_header *h = s->hdr;
	struct device *dev = &s->pdev->dev;
	u64 magic = le64_to_cpu(READ_ONCE(h->magic));
	u32 version = le32_to_cpu(READ_ONCE(h->version));
	u32 size = le32_to_cpu(READ_ONCE(h->bar2_size));
	u32 nr_vps = le32_to_cpu(READ_ONCE(h->nr_vps));

	if (magic != VSC_SIM_MAGIC) {
		dev_info(dev, "BAR2 magic %#llx is not vsp-sim's, not binding\n",
			 magic);
		return -ENODEV;
	}
	if (version != VSC_SIM_VERSION) {
		dev_warn(dev, "vsp-sim speaks layout version %u, this shim %u\n",
			 version, VSC_SIM_VERSION);
		return -ENODEV;
	}
	if (size != VSC_SIM_BAR2_SIZE || size > len ||
	    le32_to_cpu(READ_ONCE(h->mailbox_slots)) != VSC_SIM_MAILBOX_SLOTS ||
	    le32_to_cpu(READ_ONCE(h->conn_ids)) != VSC_SIM_CONN_IDS) {
		dev_warn(dev, "vsp-sim header does not match layout %u\n",
			 VSC_SIM_VERSION);
		return -ENODEV;
	}
	if (!nr_vps || nr_vps > VSC_SIM_MAX_VPS) {
		dev_warn(dev, "vsp-sim serves %u VPs, want 1..%u\n", nr_vps,
			 VSC_SIM_MAX_VPS);
		return -ENODEV;
	}
	if (num_possible_cpus() > nr_vps) {
		dev_warn(dev, "%u possible CPUs but vsp-sim serves %u VPs: start it with --vps %u\n",
			 num_possible_cpus(), nr_vps, num_possible_cpus());
		return -ENODEV;
	}
	s->be.nr_vps = nr_vps;
	return 0;
}

/* One vector per possible CPU, each affine to its CPU: VP n is vector n. */
static int vsc_hc_sim_vectors(struct vsc_hc_sim *s)
{
	struct pci_dev *pdev = s->pdev;
	unsigned int n = num_possible_cpus(), v, cpu;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX | PCI_IRQ_AFFINITY);
	if (ret < 0) {
		dev_err(&pdev->dev, "cannot get %u MSI-X vectors: %d\n", n, ret);
		return ret;
	}
	s->nvec = n;
	for (v = 0; v < n; v++) {
		const struct cpumask *mask = pci_irq_get_affinity(pdev, v);

		cpu = mask ? cpumask_first(mask) : nr_cpu_ids;
		if (cpu >= nr_cpu_ids || s->be.vp[cpu] >= 0) {
			dev_err(&pdev->dev, "vector %u has no CPU of its own\n", v);
			return -ENODEV;
		}
		s->be.vp[cpu] = v;
		ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, v),
				       vsc_hc_sim_isr, 0, "vsc_hypercall", s);
		if (ret)
			return ret;
	}
	return 0;
}

static void vsc_hc_sim_free_pages(struct vsc_hc_sim *s)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		free_page((unsigned long)s->be.msg_page[cpu]);
		free_page((unsigned long)s->be.flags_page[cpu]);
		s->be.msg_page[cpu] = NULL;
		s->be.flags_page[cpu] = NULL;
	}
}

/* A SynIC message and event-flags page per CPU, registered with the host. */
static int vsc_hc_sim_pages(struct vsc_hc_sim *s)
{
	unsigned int cpu;
	int vp;

	for_each_possible_cpu(cpu) {
		s->be.msg_page[cpu] = (void *)get_zeroed_page(GFP_KERNEL);
		s->be.flags_page[cpu] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!s->be.msg_page[cpu] || !s->be.flags_page[cpu]) {
			vsc_hc_sim_free_pages(s);
			return -ENOMEM;
		}
	}
	for_each_possible_cpu(cpu) {
		vp = s->be.vp[cpu];
		WRITE_ONCE(s->vps[vp].simp,
			   cpu_to_le64(virt_to_phys(s->be.msg_page[cpu]) |
				       VSC_SYNIC_ENABLE));
		WRITE_ONCE(s->vps[vp].siefp,
			   cpu_to_le64(virt_to_phys(s->be.flags_page[cpu]) |
				       VSC_SYNIC_ENABLE));
	}
	s->pages_shared = true;
	return 0;
}

/* Waits up to about @ms milliseconds for the host to apply @ready. */
static bool vsc_hc_sim_acked(struct vsc_hc_sim *s, __le32 ready, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms; i++) {
		/* Orders what we do next after the host's acknowledgement. */
		if (smp_load_acquire(&s->hdr->ready_ack) == ready)
			return true;
		usleep_range(1000, 1100);
	}
	return false;
}

/*
 * Withdraw the pages from the host and wait until it says it dropped them.
 * A host that does not answer keeps them: better leaked than written late.
 */
static void vsc_hc_sim_unshare(struct vsc_hc_sim *s)
{
	unsigned int i;

	WRITE_ONCE(s->guest->ready, 0);
	for (i = 0; i < s->be.nr_vps; i++) {
		WRITE_ONCE(s->vps[i].simp, 0);
		WRITE_ONCE(s->vps[i].siefp, 0);
	}
	vsc_hc_sim_wake(s);
	if (vsc_hc_sim_acked(s, 0, 1000))
		s->pages_shared = false;
	else
		dev_warn(&s->pdev->dev, "vsp-sim did not release the SynIC pages, leaking them\n");
}

static int vsc_hc_sim_map(struct vsc_hc_sim *s)
{
	struct pci_dev *pdev = s->pdev;
	resource_size_t len = pci_resource_len(pdev, VSC_SIM_BAR_SHARED);
	u8 *b;
	int ret;

	if (len < VSC_SIM_BAR2_SIZE)
		return -ENODEV;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	s->regs = pcim_iomap(pdev, VSC_SIM_BAR_REGS, 0);
	if (!s->regs)
		return -ENOMEM;
	/* BAR2 is memory shared with vsp-sim: map it cacheable. */
	b = devm_memremap(&pdev->dev, pci_resource_start(pdev, VSC_SIM_BAR_SHARED),
			  VSC_SIM_BAR2_SIZE, MEMREMAP_WB);
	if (IS_ERR(b))
		return PTR_ERR(b);
	s->bar2 = b;
	s->hdr = (void *)(b + VSC_SIM_OFF_HEADER);
	s->guest = (void *)(b + VSC_SIM_OFF_GUEST);
	s->wake = (void *)(b + VSC_SIM_OFF_WAKE);
	s->vps = (void *)(b + VSC_SIM_OFF_VPS);
	s->signals = (void *)(b + VSC_SIM_OFF_SIGNALS);
	s->mbox = (void *)(b + VSC_SIM_OFF_MAILBOX);
	s->slots = (void *)(b + VSC_SIM_OFF_SLOTS);
	return vsc_hc_sim_check_header(s, len);
}

static int vsc_hc_sim_alloc(struct vsc_hc_sim *s)
{
	struct device *dev = &s->pdev->dev;
	unsigned int cpu;

	s->be.msg_page = devm_kcalloc(dev, nr_cpu_ids, sizeof(void *), GFP_KERNEL);
	s->be.flags_page = devm_kcalloc(dev, nr_cpu_ids, sizeof(void *), GFP_KERNEL);
	s->be.vp = devm_kcalloc(dev, nr_cpu_ids, sizeof(int), GFP_KERNEL);
	if (!s->be.msg_page || !s->be.flags_page || !s->be.vp)
		return -ENOMEM;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		s->be.vp[cpu] = -1;
	return 0;
}

static int vsc_hc_sim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vsc_hc_sim *s;
	__le32 ready;
	int ret;

	s = devm_kzalloc(&pdev->dev, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->pdev = pdev;
	raw_spin_lock_init(&s->post_lock);
	ret = vsc_hc_sim_map(s);
	if (ret)
		return ret;
	ret = vsc_hc_sim_alloc(s);
	if (ret)
		return ret;
	/* MSI-X messages are dropped unless the device may master the bus. */
	pci_set_master(pdev);
	ret = vsc_hc_sim_vectors(s);
	if (ret)
		return ret;
	ret = vsc_hc_sim_pages(s);
	if (ret)
		return ret;

	s->prod = le32_to_cpu(READ_ONCE(s->mbox->cons));
	WRITE_ONCE(s->mbox->prod, cpu_to_le32(s->prod));
	WRITE_ONCE(s->guest->version, cpu_to_le32(VSC_SIM_VERSION));
	WRITE_ONCE(s->guest->nr_vps, cpu_to_le32(s->nvec));
	ready = cpu_to_le32(get_random_u32() | 1);
	/* Orders the registrations above before the host sees ready. */
	smp_store_release(&s->guest->ready, ready);
	vsc_hc_sim_wake(s);
	if (!vsc_hc_sim_acked(s, ready, 5000)) {
		dev_err(&pdev->dev, "vsp-sim did not answer the ready handshake\n");
		vsc_hc_sim_unshare(s);
		if (!s->pages_shared)
			vsc_hc_sim_free_pages(s);
		return -ETIMEDOUT;
	}

	s->be.name = "sim";
	s->be.post_message = vsc_hc_sim_post;
	s->be.signal_event = vsc_hc_sim_signal;
	s->be.eom = vsc_hc_sim_eom;
	s->be.dev = &pdev->dev;
	WRITE_ONCE(vsc_hc_sim, s);
	pci_set_drvdata(pdev, s);
	ret = vsc_hc_backend_bind(&s->be);
	if (ret) {
		vsc_hc_sim_unshare(s);
		if (!s->pages_shared)
			vsc_hc_sim_free_pages(s);
		WRITE_ONCE(vsc_hc_sim, NULL);
	}
	return ret;
}

static void vsc_hc_sim_remove(struct pci_dev *pdev)
{
	struct vsc_hc_sim *s = pci_get_drvdata(pdev);
	unsigned int v;

	vsc_hc_backend_unbind(&s->be);
	vsc_hc_sim_unshare(s);
	for (v = 0; v < s->nvec; v++)
		devm_free_irq(&pdev->dev, pci_irq_vector(pdev, v), s);
	if (!s->pages_shared)
		vsc_hc_sim_free_pages(s);
	WRITE_ONCE(vsc_hc_sim, NULL);
}

/*
 * Power-off and kexec: after its children (VMBus sent UNLOAD), the host
 * lets go of our SynIC pages, which the next kernel may use for anything.
 */
static void vsc_hc_sim_shutdown(struct pci_dev *pdev)
{
	struct vsc_hc_sim *s = pci_get_drvdata(pdev);

	if (s && s->pages_shared)
		vsc_hc_sim_unshare(s);
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
	.remove = vsc_hc_sim_remove,
	.shutdown = vsc_hc_sim_shutdown,
};

int vsc_hc_sim_register(void)
{
	return pci_register_driver(&vsc_hc_sim_driver);
}

void vsc_hc_sim_unregister(void)
{
	pci_unregister_driver(&vsc_hc_sim_driver);
}
