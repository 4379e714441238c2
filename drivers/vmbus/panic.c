// SPDX-License-Identifier: GPL-2.0
/*
 * UNLOAD when the kernel panics: the host then stops writing into our
 * memory, so that a kdump kernel (or whatever runs next) finds it as we
 * left it, and a new guest instance can connect. Interrupts and tasklets
 * no longer run, other CPUs are stopped: post, then poll every CPU's SINT 2
 * slot for UNLOAD_RESPONSE, freeing the slots on the way.
 *
 * A kdump kernel loaded with kexec runs before the panic notifiers unless
 * crash_kexec_post_notifiers is set; Hyper-V guests set it, and so must a
 * guest that wants this with kdump (docs/native-takeover.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"

#define VSC_VMBUS_PANIC_WAIT_MS	5000

/* Frees @cpu's slot; true if it held UNLOAD_RESPONSE. */
static bool vsc_vmbus_poll_slot(unsigned int cpu)
{
	struct vsc_hv_message *slot = vsc_hc_sint_message(cpu);
	struct vsc_vmbus_msg_header h;
	bool unloaded = false;
	u32 type;

	if (!slot)
		return false;
	type = le32_to_cpu(READ_ONCE(slot->header.message_type));
	if (type == VSC_HV_MSG_NONE)
		return false;
	/* The message's contents are read after its type. */
	virt_rmb();
	if (type == VSC_HV_MSGTYPE_VMBUS &&
	    READ_ONCE(slot->header.payload_size) >= sizeof(h)) {
		memcpy(&h, slot->payload, sizeof(h));
		unloaded = le32_to_cpu(h.msgtype) == VSC_VMBUS_MSG_UNLOAD_RESPONSE;
	}
	WRITE_ONCE(slot->header.message_type, cpu_to_le32(VSC_HV_MSG_NONE));
	/* The slot is free before we look at the pending flag (see isr.c). */
	virt_mb();
	if (READ_ONCE(slot->header.message_flags) & VSC_HV_MSG_PENDING)
		vsc_hc_eom_cpu(cpu);
	return unloaded;
}

/**
 * vsc_vmbus_unload_polled() - UNLOAD with no interrupts, in a panic
 * @conn: the connection
 *
 * Never sleeps. Return: 0 once the host answered, -ETIMEDOUT or -EIO.
 */
int vsc_vmbus_unload_polled(struct vsc_vmbus_conn *conn)
{
	struct vsc_vmbus_msg_header m = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD),
	};
	unsigned int ms, cpu;
	u64 status = VSC_HV_STATUS_INSUFFICIENT_BUFFERS;

	for (ms = 0; ms < VSC_VMBUS_PANIC_WAIT_MS; ms++) {
		status = vsc_hc_post_message(conn->msg_conn_id, VSC_HV_MSGTYPE_VMBUS,
					     &m, sizeof(m)) & VSC_HV_STATUS_MASK;
		if (status != VSC_HV_STATUS_INSUFFICIENT_BUFFERS &&
		    status != VSC_HV_STATUS_INSUFFICIENT_MEMORY)
			break;
		mdelay(1);
	}
	if (status != VSC_HV_STATUS_SUCCESS)
		return -EIO;
	for (ms = 0; ms < VSC_VMBUS_PANIC_WAIT_MS; ms++) {
		for_each_present_cpu(cpu)
			if (vsc_vmbus_poll_slot(cpu))
				return 0;
		mdelay(1);
	}
	return -ETIMEDOUT;
}

static struct vsc_vmbus_conn *vsc_vmbus_panic_conn;

static int vsc_vmbus_panic(struct notifier_block *nb, unsigned long event,
			   void *unused)
{
	struct vsc_vmbus_conn *conn = READ_ONCE(vsc_vmbus_panic_conn);
	int ret;

	if (!conn || !READ_ONCE(conn->version))
		return NOTIFY_DONE;
	ret = vsc_vmbus_unload_polled(conn);
	WRITE_ONCE(conn->version, 0);
	pr_emerg("panic: VMBus UNLOAD %s (%d)\n", ret ? "not answered" : "done", ret);
	return NOTIFY_DONE;
}

static struct notifier_block vsc_vmbus_panic_nb = {
	.notifier_call = vsc_vmbus_panic,
	/* After the notifiers that still want the host (crash reporters). */
	.priority = INT_MIN + 1,
};

/**
 * vsc_vmbus_panic_start() - UNLOAD on panic from now on
 * @conn: the connected connection
 */
void vsc_vmbus_panic_start(struct vsc_vmbus_conn *conn)
{
	WRITE_ONCE(vsc_vmbus_panic_conn, conn);
	atomic_notifier_chain_register(&panic_notifier_list, &vsc_vmbus_panic_nb);
}

/**
 * vsc_vmbus_panic_stop() - undo vsc_vmbus_panic_start()
 * @conn: the connection
 */
void vsc_vmbus_panic_stop(struct vsc_vmbus_conn *conn)
{
	if (READ_ONCE(vsc_vmbus_panic_conn) != conn)
		return;
	atomic_notifier_chain_unregister(&panic_notifier_list, &vsc_vmbus_panic_nb);
	WRITE_ONCE(vsc_vmbus_panic_conn, NULL);
}
