// SPDX-License-Identifier: GPL-2.0
/*
 * vsc_hypercall.ko: the API the VMBus core calls, dispatched to whichever
 * backend has bound (at most one at a time), and the VMBus root device it
 * creates for vsc_vmbus.ko to bind to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>

#include "hypercall.h"

static DEFINE_MUTEX(vsc_hc_lock);
static struct vsc_hc_backend *vsc_hc_be;
static struct platform_device *vsc_hc_root;
static vsc_hc_isr_t vsc_hc_isr;

/**
 * vsc_hc_post_message() - post a message to the host (HvPostMessage)
 * @connection_id: the host port to post to
 * @message_type: 1 for VMBus channel messages
 * @payload: the message
 * @size: its size in bytes, at most 240
 *
 * Never sleeps and never waits for the host, so it may be called in atomic
 * context and on panic paths. A full host mailbox is reported as
 * %VSC_HV_STATUS_INSUFFICIENT_BUFFERS; the caller retries, as on Hyper-V.
 *
 * Return: the hypercall result; its low 16 bits are a Hyper-V status.
 */
u64 vsc_hc_post_message(u32 connection_id, u32 message_type,
			const void *payload, u32 size)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (!be)
		return VSC_HV_STATUS_INVALID_CONNECTION_ID;
	if (size > VSC_HV_MESSAGE_PAYLOAD)
		return VSC_HV_STATUS_INVALID_INPUT;
	return be->post_message(connection_id, message_type, payload, size);
}
EXPORT_SYMBOL_GPL(vsc_hc_post_message);

/**
 * vsc_hc_signal_event() - signal the host (HvSignalEvent)
 * @connection_id: the event connection of the channel
 * @flag_number: the flag to set; 0 for VMBus channels
 *
 * Never sleeps.
 *
 * Return: the hypercall result; its low 16 bits are a Hyper-V status.
 */
u64 vsc_hc_signal_event(u32 connection_id, u16 flag_number)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (!be)
		return VSC_HV_STATUS_INVALID_CONNECTION_ID;
	return be->signal_event(connection_id, flag_number);
}
EXPORT_SYMBOL_GPL(vsc_hc_signal_event);

/**
 * vsc_hc_eom() - end of message on the current CPU
 *
 * Call after freeing this CPU's SINT 2 slot when its message-pending flag
 * was set, so that the host delivers the next message.
 */
void vsc_hc_eom(void)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (be)
		be->eom(raw_smp_processor_id());
}
EXPORT_SYMBOL_GPL(vsc_hc_eom);

/**
 * vsc_hc_eom_cpu() - end of message on another CPU's VP, in a panic
 * @cpu: a CPU that is stopped (or the current one)
 *
 * For polling every CPU's SINT 2 slot when interrupts no longer run. The
 * native backend can end a message only on the current CPU and does
 * nothing for others.
 */
void vsc_hc_eom_cpu(unsigned int cpu)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (be && cpu < nr_cpu_ids)
		be->eom(cpu);
}
EXPORT_SYMBOL_GPL(vsc_hc_eom_cpu);

/**
 * vsc_hc_sint_message() - the SINT 2 slot of a CPU's SynIC message page
 * @cpu: the CPU
 *
 * Return: the slot, or NULL if no backend is bound or @cpu has no page.
 */
struct vsc_hv_message *vsc_hc_sint_message(unsigned int cpu)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (!be || cpu >= nr_cpu_ids || !be->msg_page[cpu])
		return NULL;
	return &be->msg_page[cpu]->slot[VSC_VMBUS_SINT];
}
EXPORT_SYMBOL_GPL(vsc_hc_sint_message);

/**
 * vsc_hc_sint_flags() - the SINT 2 area of a CPU's SynIC event-flags page
 * @cpu: the CPU
 *
 * Bit N of the area is set by the host for channel relid N.
 *
 * Return: the area, or NULL if no backend is bound or @cpu has no page.
 */
struct vsc_hv_event_flags *vsc_hc_sint_flags(unsigned int cpu)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (!be || cpu >= nr_cpu_ids || !be->flags_page[cpu])
		return NULL;
	return &be->flags_page[cpu]->sint[VSC_VMBUS_SINT];
}
EXPORT_SYMBOL_GPL(vsc_hc_sint_flags);

/**
 * vsc_hc_vp_index() - the VP index of a CPU
 * @cpu: the CPU
 *
 * Every target_vp the guest sends the host goes through this mapping.
 *
 * Return: the VP index, or -ENODEV if the CPU has none.
 */
int vsc_hc_vp_index(unsigned int cpu)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	if (!be || cpu >= nr_cpu_ids)
		return -ENODEV;
	return be->vp[cpu];
}
EXPORT_SYMBOL_GPL(vsc_hc_vp_index);

/**
 * vsc_hc_nr_vps() - the number of VPs the host serves
 *
 * Return: the count, 0 when no backend is bound.
 */
u32 vsc_hc_nr_vps(void)
{
	struct vsc_hc_backend *be = READ_ONCE(vsc_hc_be);

	return be ? be->nr_vps : 0;
}
EXPORT_SYMBOL_GPL(vsc_hc_nr_vps);

/**
 * vsc_hc_bound() - whether a backend has bound
 *
 * Return: true once a backend serves the API.
 */
bool vsc_hc_bound(void)
{
	return READ_ONCE(vsc_hc_be);
}
EXPORT_SYMBOL_GPL(vsc_hc_bound);

static void vsc_hc_rescan(void *unused)
{
	vsc_hc_dispatch();
}

/**
 * vsc_hc_set_isr() - install the VMBus interrupt handler
 * @isr: the handler; see &typedef vsc_hc_isr_t
 *
 * Runs @isr once on every online CPU before returning, for whatever the
 * host delivered before there was a handler.
 *
 * Return: 0, or -EBUSY if another handler is installed.
 */
int vsc_hc_set_isr(vsc_hc_isr_t isr)
{
	mutex_lock(&vsc_hc_lock);
	if (vsc_hc_isr) {
		mutex_unlock(&vsc_hc_lock);
		return -EBUSY;
	}
	WRITE_ONCE(vsc_hc_isr, isr);
	mutex_unlock(&vsc_hc_lock);
	on_each_cpu(vsc_hc_rescan, NULL, 1);
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_hc_set_isr);

/**
 * vsc_hc_clear_isr() - remove the VMBus interrupt handler
 * @isr: the handler installed with vsc_hc_set_isr()
 *
 * On return no CPU runs @isr any more.
 */
void vsc_hc_clear_isr(vsc_hc_isr_t isr)
{
	mutex_lock(&vsc_hc_lock);
	if (vsc_hc_isr == isr)
		WRITE_ONCE(vsc_hc_isr, NULL);
	mutex_unlock(&vsc_hc_lock);
	/* Hard interrupt handlers are RCU readers: wait for running ones. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(vsc_hc_clear_isr);

/* Called by a backend's interrupt handler, on the CPU the host targeted. */
void vsc_hc_dispatch(void)
{
	vsc_hc_isr_t isr = READ_ONCE(vsc_hc_isr);

	if (isr)
		isr();
}

/*
 * A backend is ready: serve the API through it and create the VMBus root
 * device, whose MODALIAS (platform:vsc_vmbus) loads vsc_vmbus.ko.
 */
int vsc_hc_backend_bind(struct vsc_hc_backend *be)
{
	struct platform_device *root;

	mutex_lock(&vsc_hc_lock);
	if (vsc_hc_be) {
		mutex_unlock(&vsc_hc_lock);
		dev_warn(be->dev, "the %s backend already serves, not binding\n",
			 vsc_hc_be->name);
		return -EBUSY;
	}
	WRITE_ONCE(vsc_hc_be, be);
	mutex_unlock(&vsc_hc_lock);

	root = platform_device_register_data(be->dev, "vsc_vmbus",
					     PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(root)) {
		WRITE_ONCE(vsc_hc_be, NULL);
		return PTR_ERR(root);
	}
	vsc_hc_root = root;
	dev_info(be->dev, "%s backend serves %u VPs\n", be->name, be->nr_vps);
	return 0;
}

/* The reverse; the VMBus root (and so every channel) goes first. */
void vsc_hc_backend_unbind(struct vsc_hc_backend *be)
{
	if (READ_ONCE(vsc_hc_be) != be)
		return;
	platform_device_unregister(vsc_hc_root);
	vsc_hc_root = NULL;
	WRITE_ONCE(vsc_hc_be, NULL);
	synchronize_rcu();
}

static int __init vsc_hc_init(void)
{
	int ret = vsc_hc_native_register();

	if (ret)
		return ret;
	ret = vsc_hc_sim_register();
	if (ret)
		vsc_hc_native_unregister();
	return ret;
}

static void __exit vsc_hc_exit(void)
{
	vsc_hc_sim_unregister();
	vsc_hc_native_unregister();
}

module_init(vsc_hc_init);
module_exit(vsc_hc_exit);

MODULE_DESCRIPTION("Hypercall shim of the VSC suite (platform layer under VMBus)");
MODULE_LICENSE("GPL");
