// SPDX-License-Identifier: GPL-2.0
/*
 * The native backend: the hypercall shim on real Hyper-V, for guests that
 * take VMBus over from the in-tree drivers (docs/native-takeover.md).
 *
 * It leans on the kernel's own Hyper-V support: the hypercall page the
 * kernel set up (never the hypercall MSR), hv_do_hypercall() and
 * hv_do_fast_hypercall8() (which handle confidential guests), the
 * kernel's SynIC register accessors, its VP index table and its VMBus
 * interrupt hook. It refuses to bind when someone else owns the SynIC.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <asm/hypervisor.h>
#include <asm/mshyperv.h>

#include "hypercall.h"
#include "native_enc.h"

static bool native = true;
module_param(native, bool, 0444);
MODULE_PARM_DESC(native, "Use Hyper-V's SynIC when running on Hyper-V (default: yes)");

#ifdef HAVE_HV_GET_MSR
#define vsc_hv_rdmsr(r)		hv_get_msr(r)
#define vsc_hv_wrmsr(r, v)	hv_set_msr(r, v)
#else
#define vsc_hv_rdmsr(r)		hv_get_register(r)
#define vsc_hv_wrmsr(r, v)	hv_set_register(r, v)
#endif

struct vsc_hc_native {
	struct platform_device *pdev;
	struct vsc_hc_backend be;
	void * __percpu *post_page;	/* each CPU's HvPostMessage input */
	enum cpuhp_state hp_state;
	bool auto_eoi;
};

static struct vsc_hc_native *vsc_hc_nat;

static u64 vsc_hc_native_post(u32 connection_id, u32 message_type,
			      const void *payload, u32 size)
{
	struct vsc_hv_post_message *in;
	unsigned long flags;
	u64 status;

	local_irq_save(flags);
	in = *this_cpu_ptr(vsc_hc_nat->post_page);
	vsc_hc_post_input(in, connection_id, message_type, payload, size);
	status = hv_do_hypercall(VSC_HC_POST_MESSAGE, in, NULL);
	local_irq_restore(flags);
	return status;
}

static u64 vsc_hc_native_signal(u32 connection_id, u16 flag_number)
{
	return hv_do_fast_hypercall8(VSC_HC_SIGNAL_EVENT,
				     vsc_hc_signal_input(connection_id, flag_number));
}

/* EOM is an MSR of the running VP: another CPU's cannot be ended here. */
static void vsc_hc_native_eom(unsigned int cpu)
{
	if (cpu == raw_smp_processor_id())
		vsc_hv_wrmsr(VSC_MSR_EOM, 0);
}

static void vsc_hc_native_isr(void)
{
	vsc_hc_dispatch();
}

/* Programs this CPU's SynIC for VMBus; runs on @cpu (hotplug callback). */
static int vsc_hc_native_cpu_up(unsigned int cpu)
{
	struct vsc_hc_native *n = vsc_hc_nat;
	u64 sint;

	vsc_hv_wrmsr(VSC_MSR_SIMP,
		     vsc_hc_synic_page_value(vsc_hv_rdmsr(VSC_MSR_SIMP),
					     virt_to_phys(n->be.msg_page[cpu])));
	vsc_hv_wrmsr(VSC_MSR_SIEFP,
		     vsc_hc_synic_page_value(vsc_hv_rdmsr(VSC_MSR_SIEFP),
					     virt_to_phys(n->be.flags_page[cpu])));
	sint = vsc_hv_rdmsr(VSC_MSR_SINT(VSC_VMBUS_SINT));
	vsc_hv_wrmsr(VSC_MSR_SINT(VSC_VMBUS_SINT),
		     vsc_hc_sint_value(sint, HYPERVISOR_CALLBACK_VECTOR, n->auto_eoi));
	vsc_hv_wrmsr(VSC_MSR_SCONTROL,
		     vsc_hv_rdmsr(VSC_MSR_SCONTROL) | VSC_SYNIC_ENABLE);
	n->be.vp[cpu] = hv_vp_index ? hv_vp_index[cpu] : cpu;
	return 0;
}

/* Masks SINT 2 and disables the pages on @cpu before it goes away. */
static int vsc_hc_native_cpu_down(unsigned int cpu)
{
	vsc_hv_wrmsr(VSC_MSR_SINT(VSC_VMBUS_SINT),
		     vsc_hc_sint_masked(vsc_hv_rdmsr(VSC_MSR_SINT(VSC_VMBUS_SINT))));
	vsc_hv_wrmsr(VSC_MSR_SIMP, vsc_hv_rdmsr(VSC_MSR_SIMP) & ~VSC_SYNIC_ENABLE);
	vsc_hv_wrmsr(VSC_MSR_SIEFP, vsc_hv_rdmsr(VSC_MSR_SIEFP) & ~VSC_SYNIC_ENABLE);
	return 0;
}

static void vsc_hc_native_check_cpu(void *reason)
{
	const char *r = vsc_hc_synic_taken(vsc_hv_rdmsr(VSC_MSR_SIMP),
					   vsc_hv_rdmsr(VSC_MSR_SINT(VSC_VMBUS_SINT)));

	if (r)
		*(const char **)reason = r;
}

static void vsc_hc_native_free(struct vsc_hc_native *n)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		free_page((unsigned long)n->be.msg_page[cpu]);
		free_page((unsigned long)n->be.flags_page[cpu]);
		if (n->post_page)
			free_page((unsigned long)*per_cpu_ptr(n->post_page, cpu));
	}
	free_percpu(n->post_page);
	kfree(n->be.msg_page);
	kfree(n->be.flags_page);
	kfree(n->be.vp);
	kfree(n);
}

static struct vsc_hc_native *vsc_hc_native_alloc(void)
{
	struct vsc_hc_native *n = kzalloc(sizeof(*n), GFP_KERNEL);
	unsigned int cpu;

	if (!n)
		return NULL;
	n->be.msg_page = kcalloc(nr_cpu_ids, sizeof(void *), GFP_KERNEL);
	n->be.flags_page = kcalloc(nr_cpu_ids, sizeof(void *), GFP_KERNEL);
	n->be.vp = kcalloc(nr_cpu_ids, sizeof(int), GFP_KERNEL);
	n->post_page = alloc_percpu(void *);
	if (!n->be.msg_page || !n->be.flags_page || !n->be.vp || !n->post_page)
		goto fail;
	for_each_possible_cpu(cpu) {
		n->be.vp[cpu] = -1;
		n->be.msg_page[cpu] = (void *)get_zeroed_page(GFP_KERNEL);
		n->be.flags_page[cpu] = (void *)get_zeroed_page(GFP_KERNEL);
		*per_cpu_ptr(n->post_page, cpu) = (void *)get_zeroed_page(GFP_KERNEL);
		if (!n->be.msg_page[cpu] || !n->be.flags_page[cpu] ||
		    !*per_cpu_ptr(n->post_page, cpu))
			goto fail;
	}
	return n;
fail:
	vsc_hc_native_free(n);
	return NULL;
}

/**
 * vsc_hc_native_register() - serve the shim through Hyper-V, if we run on it
 *
 * Return: 0 when bound or when not on Hyper-V (the sim backend may serve);
 * a negative errno when Hyper-V is there but cannot be used.
 */
int vsc_hc_native_register(void)
{
	const char *taken = NULL;
	struct vsc_hc_native *n;
	int ret;

	if (!native)
		return 0;
	if (!hypervisor_is_type(X86_HYPER_MS_HYPERV)) {
		pr_info("not running on Hyper-V: the native backend stays idle\n");
		return 0;
	}
	if (!hv_hypercall_pg) {
		pr_err("Hyper-V without the kernel's hypercall page: not binding\n");
		return -ENODEV;
	}
	on_each_cpu(vsc_hc_native_check_cpu, &taken, 1);
	if (taken) {
		pr_err("%s: hv_vmbus owns the SynIC; blacklist it to use the VSC suite (docs/native-takeover.md)\n",
		       taken);
		return -EBUSY;
	}

	n = vsc_hc_native_alloc();
	if (!n)
		return -ENOMEM;
	n->auto_eoi = !(ms_hyperv.hints & HV_DEPRECATING_AEOI_RECOMMENDED);
	n->pdev = platform_device_register_simple("vsc_hypercall_native",
						  PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(n->pdev)) {
		ret = PTR_ERR(n->pdev);
		vsc_hc_native_free(n);
		return ret;
	}
	vsc_hc_nat = n;
	hv_setup_vmbus_handler(vsc_hc_native_isr);
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "vsc/hypercall:online",
				vsc_hc_native_cpu_up, vsc_hc_native_cpu_down);
	if (ret < 0)
		goto fail;
	n->hp_state = ret;

	n->be.name = "native";
	n->be.post_message = vsc_hc_native_post;
	n->be.signal_event = vsc_hc_native_signal;
	n->be.eom = vsc_hc_native_eom;
	n->be.nr_vps = num_possible_cpus();
	n->be.dev = &n->pdev->dev;
	ret = vsc_hc_backend_bind(&n->be);
	if (ret) {
		cpuhp_remove_state(n->hp_state);
		goto fail;
	}
	return 0;
fail:
	hv_remove_vmbus_handler();
	platform_device_unregister(n->pdev);
	vsc_hc_nat = NULL;
	vsc_hc_native_free(n);
	return ret;
}

/**
 * vsc_hc_native_unregister() - give the SynIC back
 */
void vsc_hc_native_unregister(void)
{
	struct vsc_hc_native *n = vsc_hc_nat;

	if (!n)
		return;
	vsc_hc_backend_unbind(&n->be);
	cpuhp_remove_state(n->hp_state);
	hv_remove_vmbus_handler();
	platform_device_unregister(n->pdev);
	vsc_hc_nat = NULL;
	vsc_hc_native_free(n);
}
