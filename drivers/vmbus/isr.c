// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus interrupt: on the CPU the host targeted, take the SINT 2
 * message (in a per-CPU tasklet, which copies it out and frees the slot)
 * and the channels whose event flags are set (each channel's tasklet runs
 * its driver's callback).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"

static struct vsc_vmbus_conn *vsc_vmbus_isr_conn;
static DEFINE_PER_CPU(struct tasklet_struct, vsc_vmbus_msg_tasklet);

static void vsc_vmbus_msg_dpc(struct tasklet_struct *t)
{
	struct vsc_vmbus_conn *conn = READ_ONCE(vsc_vmbus_isr_conn);
	struct vsc_hv_message *slot = vsc_hc_sint_message(smp_processor_id());
	u8 buf[VSC_HV_MESSAGE_PAYLOAD];
	u32 type, len;
	u8 flags;

	if (!conn || !slot)
		return;
	type = le32_to_cpu(READ_ONCE(slot->header.message_type));
	if (type == VSC_HV_MSG_NONE)
		return;
	/* Orders the reads of the message after that of its type. */
	virt_rmb();
	len = min_t(u32, READ_ONCE(slot->header.payload_size), sizeof(buf));
	memcpy(buf, slot->payload, len);

	WRITE_ONCE(slot->header.message_type, cpu_to_le32(VSC_HV_MSG_NONE));
	/*
	 * Frees the slot before reading the pending flag: a flag the host
	 * sets after this point finds the slot free, one set before is seen.
	 */
	virt_mb();
	flags = READ_ONCE(slot->header.message_flags);
	if (flags & VSC_HV_MSG_PENDING)
		vsc_hc_eom();

	if (type != VSC_HV_MSGTYPE_VMBUS)
		dev_notice_ratelimited(conn->dev, "SINT 2 message of type %#x ignored\n",
				       type);
	else
		vsc_vmbus_handle_msg(conn, buf, len);
}

static void vsc_vmbus_scan_flags(struct vsc_vmbus_conn *conn, unsigned int cpu)
{
	struct vsc_hv_event_flags *f = vsc_hc_sint_flags(cpu);
	struct vsc_vmbus_channel *ch;
	unsigned long word;
	unsigned int i, bit, relid;

	if (!f)
		return;
	for (i = 0; i < ARRAY_SIZE(f->flags); i++) {
		if (!READ_ONCE(f->flags[i]))
			continue;
		word = le64_to_cpu(xchg(&f->flags[i], cpu_to_le64(0)));
		for_each_set_bit(bit, &word, BITS_PER_LONG) {
			relid = i * BITS_PER_LONG + bit;
			rcu_read_lock();
			ch = rcu_dereference(conn->chans[relid]);
			if (ch)
				vsc_vmbus_chan_schedule(ch);
			else
				dev_notice_ratelimited(conn->dev, "event for unknown relid %u\n",
						       relid);
			rcu_read_unlock();
		}
	}
}

static void vsc_vmbus_isr(void)
{
	struct vsc_vmbus_conn *conn = READ_ONCE(vsc_vmbus_isr_conn);
	unsigned int cpu = smp_processor_id();
	struct vsc_hv_message *slot = vsc_hc_sint_message(cpu);

	if (!conn)
		return;
	if (slot && READ_ONCE(slot->header.message_type))
		tasklet_schedule(this_cpu_ptr(&vsc_vmbus_msg_tasklet));
	vsc_vmbus_scan_flags(conn, cpu);
}

/**
 * vsc_vmbus_isr_start() - take the VMBus interrupt for @conn
 * @conn: the connection
 *
 * Return: 0, or -EBUSY if another user holds the interrupt.
 */
int vsc_vmbus_isr_start(struct vsc_vmbus_conn *conn)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		tasklet_setup(per_cpu_ptr(&vsc_vmbus_msg_tasklet, cpu),
			      vsc_vmbus_msg_dpc);
	WRITE_ONCE(vsc_vmbus_isr_conn, conn);
	return vsc_hc_set_isr(vsc_vmbus_isr);
}

/**
 * vsc_vmbus_isr_stop() - give the VMBus interrupt back
 * @conn: the connection
 */
void vsc_vmbus_isr_stop(struct vsc_vmbus_conn *conn)
{
	unsigned int cpu;

	vsc_hc_clear_isr(vsc_vmbus_isr);
	for_each_possible_cpu(cpu)
		tasklet_kill(per_cpu_ptr(&vsc_vmbus_msg_tasklet, cpu));
	WRITE_ONCE(vsc_vmbus_isr_conn, NULL);
}
