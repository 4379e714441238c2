// SPDX-License-Identifier: GPL-2.0
/*
 * Transport test of the hypercall shim against vsp-sim's echo service, run
 * at module load; loading fails (-EIO) when the test does.
 *
 * rounds=N	echo round trips, spread over every VP (default 10000)
 * inflight=N	posts outstanding at once (default 64: more than the SINT 2
 *		slot and the post mailbox hold, so host queueing, the
 *		message-pending flag, EOM and INSUFFICIENT_BUFFERS all occur)
 * corrupt=N	afterwards, scribble N rounds of garbage over BAR2 through a
 *		mapping of our own and ring the doorbell, to test the host
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <vsc/sim.h>

#include "hypercall/vsc_hypercall.h"

static unsigned int rounds = 10000;
module_param(rounds, uint, 0444);
static unsigned int inflight = 64;
module_param(inflight, uint, 0444);
static unsigned int corrupt;
module_param(corrupt, uint, 0444);

#define SIMTEST_RELID	5

static struct {
	unsigned long *seen;		/* cookies answered */
	atomic_t outstanding;
	atomic_t replies, duplicates, misdirected, bad, eoms, flags;
	atomic_t per_vp[VSC_SIM_MAX_VPS];
	wait_queue_head_t wq;
} st;

static void simtest_take_message(unsigned int cpu, int vp)
{
	struct vsc_hv_message *m = vsc_hc_sint_message(cpu);
	struct vsc_sim_echo echo;
	u8 flags;
	u64 cookie;

	if (!m || le32_to_cpu(READ_ONCE(m->header.message_type)) == VSC_HV_MSG_NONE)
		return;
	/* Orders reading the payload after seeing the type. */
	smp_rmb();
	if (le32_to_cpu(m->header.message_type) != VSC_SIM_MSGTYPE_ECHO ||
	    m->header.payload_size != sizeof(echo)) {
		atomic_inc(&st.bad);
	} else {
		memcpy(&echo, m->payload, sizeof(echo));
		cookie = le64_to_cpu(echo.cookie);
		if (le32_to_cpu(echo.target_vp) != vp)
			atomic_inc(&st.misdirected);
		if (cookie >= rounds || test_and_set_bit(cookie, st.seen))
			atomic_inc(&st.duplicates);
		atomic_inc(&st.replies);
		atomic_inc(&st.per_vp[vp]);
		atomic_dec(&st.outstanding);
		wake_up(&st.wq);
	}
	WRITE_ONCE(m->header.message_type, cpu_to_le32(VSC_HV_MSG_NONE));
	/* Frees the slot before the pending flag is read (see vmbus/isr.c). */
	smp_mb();
	flags = READ_ONCE(m->header.message_flags);
	if (flags & VSC_HV_MSG_PENDING) {
		atomic_inc(&st.eoms);
		vsc_hc_eom();
	}
}

static void simtest_isr(void)
{
	unsigned int cpu = smp_processor_id();
	int vp = vsc_hc_vp_index(cpu);
	struct vsc_hv_event_flags *f = vsc_hc_sint_flags(cpu);

	if (vp < 0 || vp >= VSC_SIM_MAX_VPS)
		return;
	simtest_take_message(cpu, vp);
	if (f && test_and_clear_bit_le(SIMTEST_RELID, f->flags))
		atomic_inc(&st.flags);
}

static int simtest_post(unsigned int i, unsigned int nr_vps, unsigned int *full)
{
	struct vsc_sim_echo echo = {
		.target_vp = cpu_to_le32(i % nr_vps),
		.signal_relid = cpu_to_le32(i % 16 == 0 ? SIMTEST_RELID : 0),
		.cookie = cpu_to_le64(i),
	};
	/* A host that stops taking posts fails the test in 10 s by the clock. */
	unsigned long deadline = jiffies + 10 * HZ;
	u64 status;

	for (;;) {
		status = vsc_hc_post_message(VSC_SIM_ECHO_CONNECTION_ID,
					     VSC_SIM_MSGTYPE_ECHO, &echo,
					     sizeof(echo)) & VSC_HV_STATUS_MASK;
		if (status != VSC_HV_STATUS_INSUFFICIENT_BUFFERS)
			return status ? -EIO : 0;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		(*full)++;
		usleep_range(20, 50);
	}
}

static int simtest_echo(void)
{
	unsigned int nr_vps = vsc_hc_nr_vps(), i, full = 0, vp, cpu;
	int ret = 0;

	for (i = 0; i < rounds && !ret; i++) {
		if (!wait_event_timeout(st.wq,
					atomic_read(&st.outstanding) < inflight,
					10 * HZ)) {
			pr_err("no echo reply for 10 s at round %u\n", i);
			return -EIO;
		}
		atomic_inc(&st.outstanding);
		ret = simtest_post(i, nr_vps, &full);
	}
	if (ret) {
		pr_err("post failed at round %u: %d\n", i, ret);
		return ret;
	}
	if (!wait_event_timeout(st.wq, !atomic_read(&st.outstanding), 30 * HZ))
		pr_err("%d replies missing\n", atomic_read(&st.outstanding));

	pr_info("rounds %u replies %d duplicates %d misdirected %d bad %d\n",
		rounds, atomic_read(&st.replies), atomic_read(&st.duplicates),
		atomic_read(&st.misdirected), atomic_read(&st.bad));
	pr_info("mailbox full retries %u, EOMs %d, event flags seen %d\n",
		full, atomic_read(&st.eoms), atomic_read(&st.flags));
	for_each_online_cpu(cpu) {
		vp = vsc_hc_vp_index(cpu);
		if (vp >= 0 && vp < VSC_SIM_MAX_VPS)
			pr_info("cpu %u vp %u replies %d\n", cpu, vp,
				atomic_read(&st.per_vp[vp]));
	}
	if (atomic_read(&st.replies) != rounds ||
	    !bitmap_full(st.seen, rounds) || atomic_read(&st.duplicates) ||
	    atomic_read(&st.misdirected) || atomic_read(&st.bad) ||
	    (rounds >= 16 && !atomic_read(&st.flags)))
		return -EIO;
	return 0;
}

/* Garbage over BAR2 through a mapping of our own, then the doorbell. */
static void simtest_corrupt(void)
{
	struct pci_dev *pdev = pci_get_device(VSC_SIM_PCI_VENDOR,
					      VSC_SIM_PCI_DEVICE, NULL);
	void __iomem *regs;
	u8 *bar2;
	unsigned int r;

	if (!pdev)
		return;
	bar2 = memremap(pci_resource_start(pdev, VSC_SIM_BAR_SHARED),
			VSC_SIM_BAR2_SIZE, MEMREMAP_WB);
	regs = ioremap(pci_resource_start(pdev, VSC_SIM_BAR_REGS), 16);
	if (bar2 && regs) {
		struct vsc_sim_vp *vps = (void *)(bar2 + VSC_SIM_OFF_VPS);
		__le64 simp[VSC_SIM_MAX_VPS], siefp[VSC_SIM_MAX_VPS];
		unsigned int v;

		for (v = 0; v < VSC_SIM_MAX_VPS; v++) {
			simp[v] = vps[v].simp;
			siefp[v] = vps[v].siefp;
		}
		for (r = 0; r < corrupt; r++) {
			/*
			 * Everything the guest may write, but the SynIC page
			 * addresses: pointed elsewhere, the host would rightly
			 * write into whatever guest memory they name.
			 */
			get_random_bytes(bar2 + VSC_SIM_OFF_GUEST,
					 VSC_SIM_OFF_END - VSC_SIM_OFF_GUEST);
			for (v = 0; v < VSC_SIM_MAX_VPS; v++) {
				vps[v].simp = simp[v];
				vps[v].siefp = siefp[v];
			}
			writel(0, regs + VSC_SIM_REG_DOORBELL);
			usleep_range(1000, 2000);
		}
		pr_info("scribbled over BAR2 %u times\n", corrupt);
	}
	if (regs)
		iounmap(regs);
	if (bar2)
		memunmap(bar2);
	pci_dev_put(pdev);
}

static int __init simtest_init(void)
{
	int ret;

	if (!vsc_hc_bound()) {
		pr_err("no hypercall backend bound\n");
		return -ENODEV;
	}
	if (!rounds || !inflight)
		return -EINVAL;
	st.seen = bitmap_zalloc(rounds, GFP_KERNEL);
	if (!st.seen)
		return -ENOMEM;
	init_waitqueue_head(&st.wq);
	ret = vsc_hc_set_isr(simtest_isr);
	if (ret)
		goto out;
	ret = simtest_echo();
	vsc_hc_clear_isr(simtest_isr);
	if (!ret && corrupt)
		simtest_corrupt();
out:
	bitmap_free(st.seen);
	return ret ? -EIO : 0;
}

static void __exit simtest_exit(void)
{
}

module_init(simtest_init);
module_exit(simtest_exit);

MODULE_DESCRIPTION("Test of the VSC hypercall shim over vsp-sim's echo service");
MODULE_LICENSE("GPL");
